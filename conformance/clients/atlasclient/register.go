package atlasclient

import (
	"context"
	"errors"
	"fmt"
)

// Mode chooses between the single-item and the bulk registration endpoints.
type Mode string

const (
	// ModeSingle sends one request per item to /shipping/item or /receiving/item.
	ModeSingle Mode = "single"
	// ModeBulk sends all items in one request to /shipping/items or /receiving/items.
	ModeBulk Mode = "bulk"
)

// Endpoint is a registration endpoint below BaseURL.
type Endpoint string

const (
	ShippingItem   Endpoint = "/shipping/item"
	ShippingItems  Endpoint = "/shipping/items"
	ReceivingItem  Endpoint = "/receiving/item"
	ReceivingItems Endpoint = "/receiving/items"
)

// ErrNoItems is returned for a registration without items, which the upstream rejects.
var ErrNoItems = errors.New("atlasclient: registration has no items")

// RegisterShipping registers shipped items. The upstream accepts it asynchronously: a nil
// error means accepted, not yet stored, and a duplicate (movementSlipNo, trackingId) is
// dropped silently later.
func (c *Client) RegisterShipping(ctx context.Context, mode Mode, reg Registration) error {
	return c.register(ctx, mode, ShippingItem, ShippingItems, reg)
}

// RegisterReceiving registers received items; see RegisterShipping.
func (c *Client) RegisterReceiving(ctx context.Context, mode Mode, reg Registration) error {
	return c.register(ctx, mode, ReceivingItem, ReceivingItems, reg)
}

func (c *Client) register(ctx context.Context, mode Mode, single, bulk Endpoint, reg Registration) error {
	if len(reg.Items) == 0 {
		return ErrNoItems
	}
	switch mode {
	case ModeBulk:
		return c.SendRegistration(ctx, bulk, reg)
	case ModeSingle:
		// The single-item endpoints reject a second item (errorCode 203).
		for i, item := range reg.Items {
			one := reg
			one.Items = []Item{item}
			if err := c.SendRegistration(ctx, single, one); err != nil {
				if len(reg.Items) == 1 {
					return err
				}
				return fmt.Errorf("atlasclient: item %d of %d (trackingId %q), earlier items were accepted: %w",
					i+1, len(reg.Items), item.TrackingID, err)
			}
		}
		return nil
	}
	return fmt.Errorf("atlasclient: unknown registration mode %q", mode)
}

// SendRegistration posts reg to endpoint as one request under a fresh transactionId,
// exactly as given: it does not split items, so prefer RegisterShipping and
// RegisterReceiving. Retries re-send the same body, transactionId included, so the
// upstream can recognise them; a 400 with errorCode 200 on a retry therefore means an
// earlier attempt was committed, and is success.
func (c *Client) SendRegistration(ctx context.Context, endpoint Endpoint, reg Registration) error {
	transactionID := newTransactionID()
	body, err := encodeRegistration(transactionID, reg)
	if err != nil {
		return fmt.Errorf("atlasclient: encoding registration: %w", err)
	}
	_, attempts, err := c.callAPI(ctx, "POST", string(endpoint), nil, body)
	if err != nil && attempts > 1 && isTransactionRegistered(err) {
		c.cfg.Logger.Info("atlasclient: an earlier attempt was committed",
			"endpoint", string(endpoint), "transactionId", transactionID, "attempts", attempts)
		return nil
	}
	return err
}

func isTransactionRegistered(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.Status == 400 && apiErr.ErrorCode == CodeTransactionRegistered
}
