package main

import (
	"context"
	"errors"
)

func benchDelivery(ctx context.Context, e *env) (figures, error) {
	return nil, errors.New("not measured yet")
}
