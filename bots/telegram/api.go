package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// apiClient calls Bot API methods that the library does not export
// (getUpdates), with JSON bodies. Its errors never contain the token.
type apiClient struct {
	base string // APIURL + "/bot" + token + "/"
	mask *strings.Replacer
	http *http.Client
}

// apiError is an answer with ok=false.
type apiError struct {
	Code        int
	Description string
	RetryAfter  int
	MigrateTo   int64
}

func (e *apiError) Error() string {
	return fmt.Sprintf("telegram %d: %s", e.Code, e.Description)
}

// maskedError hides the token in an error's text and keeps the chain.
type maskedError struct {
	msg string
	err error
}

func (e *maskedError) Error() string { return e.msg }
func (e *maskedError) Unwrap() error { return e.err }

func (c *apiClient) maskErr(err error) error {
	if err == nil {
		return nil
	}
	return &maskedError{msg: c.mask.Replace(err.Error()), err: err}
}

// call posts params as JSON to method and decodes the result into dest.
func (c *apiClient) call(ctx context.Context, method string, params, dest any) error {
	body, err := json.Marshal(params)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+method, bytes.NewReader(body))
	if err != nil {
		return c.maskErr(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return c.maskErr(fmt.Errorf("%s: %w", method, err))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return c.maskErr(fmt.Errorf("%s: %w", method, err))
	}
	var r struct {
		OK          bool            `json:"ok"`
		Result      json.RawMessage `json:"result"`
		ErrorCode   int             `json:"error_code"`
		Description string          `json:"description"`
		Parameters  struct {
			RetryAfter int   `json:"retry_after"`
			MigrateTo  int64 `json:"migrate_to_chat_id"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return &apiError{Code: resp.StatusCode, Description: "undecodable answer (HTTP " + resp.Status + ")"}
	}
	if !r.OK {
		return &apiError{Code: r.ErrorCode, Description: c.mask.Replace(r.Description),
			RetryAfter: r.Parameters.RetryAfter, MigrateTo: r.Parameters.MigrateTo}
	}
	if dest == nil {
		return nil
	}
	return json.Unmarshal(r.Result, dest)
}

// cancelBody ends a request's context when its body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel func()
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
