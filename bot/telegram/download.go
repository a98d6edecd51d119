package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// MaxDownload is the largest file Download fetches: the Bot API serves
// bots files up to 20 MB.
const MaxDownload = 20 << 20

// Download fetches a file people sent, by its file id: getFile tells its
// path, then the file comes from {API}/file/bot{token}/{path}. Errors
// never hold the token.
func (t *Transport) Download(ctx context.Context, fileID string) ([]byte, error) {
	var f tgbotapi.File
	err := t.call(ctx, func(api *tgbotapi.BotAPI) error {
		var err error
		f, err = api.GetFile(tgbotapi.FileConfig{FileID: fileID})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("telegram getFile: %w", err)
	}
	if f.FilePath == "" {
		return nil, errors.New("telegram getFile: no file path (the file may be over 20 MB)")
	}
	if f.FileSize > MaxDownload {
		return nil, fmt.Errorf("telegram download: file of %d bytes is over %d", f.FileSize, MaxDownload)
	}
	ctx, cancel := context.WithTimeout(ctx, t.reqTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.base+"/file/bot"+t.token+"/"+f.FilePath, nil)
	if err != nil {
		return nil, fmt.Errorf("telegram download: %w", t.scrub(err))
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("telegram download: %w", t.scrub(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("telegram download: %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxDownload+1))
	if err != nil {
		return nil, fmt.Errorf("telegram download: %w", t.scrub(err))
	}
	if len(data) > MaxDownload {
		return nil, fmt.Errorf("telegram download: file is over %d bytes", MaxDownload)
	}
	return data, nil
}
