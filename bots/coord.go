package bots

import "context"

// redeemInvite turns a one-time invite code into a role; false when the
// code is unknown.
// TODO: coordinator invites are built with the coordinators' issue.
func (e *Engine) redeemInvite(_ *Turn, _ string) bool { return false }

// recordDelivery records the outcome of a broadcast message in the
// broadcast's report.
// TODO: broadcast reports are built with the coordinators' issue.
func (e *Engine) recordDelivery(_ context.Context, _ Message, _ error) {}

// registerCoordinator adds the coordinators' commands and buttons.
func (e *Engine) registerCoordinator(_ *Router) {}
