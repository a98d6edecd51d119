package main

import (
	"context"
	"errors"
)

func benchSummary(ctx context.Context, e *env) (figures, error) {
	return nil, errors.New("not measured yet")
}
