package main

import (
	"context"
	"errors"
)

func benchSchedule(ctx context.Context, e *env) (figures, error) {
	return nil, errors.New("not measured yet")
}
