package core

import (
	"maps"
	"slices"
)

// Class is how the vendors that classify messages (the Chinese vendors
// and HarmonyOS) sort them: service and communication messages, which they
// let through, and content and marketing, which they cap per device and
// day and keep out of quiet hours.
type Class string

// Classes.
const (
	ClassService   Class = "SERVICE"
	ClassMarketing Class = "MARKETING"
)

// classifications are the values of a message's classification, each with
// its class: SERVICE and MARKETING alone, or the finer category a vendor
// asks for. Each vendor maps them to its own (docs/channels.md).
var classifications = map[string]Class{
	"SERVICE": ClassService, "IM": ClassService, "VOIP": ClassService, "ACCOUNT": ClassService,
	"FINANCE": ClassService, "ORDER": ClassService, "EXPRESS": ClassService, "TODO": ClassService,
	"DEVICE_REMINDER": ClassService, "SYSTEM_REMINDER": ClassService, "SUBSCRIPTION": ClassService,
	"TRAVEL": ClassService, "HEALTH": ClassService, "WORK": ClassService, "MAIL": ClassService,
	"PLAY_VOICE": ClassService,
	"MARKETING":  ClassMarketing, "NEWS": ClassMarketing, "CONTENT": ClassMarketing, "SOCIAL": ClassMarketing,
}

// ClassOf returns a classification's class; ok is false for a value that
// is not one.
func ClassOf(classification string) (c Class, ok bool) {
	c, ok = classifications[classification]
	return c, ok
}

// Classifications lists every classification, sorted.
func Classifications() []string { return slices.Sorted(maps.Keys(classifications)) }
