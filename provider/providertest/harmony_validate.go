package providertest

import (
	"encoding/json"
	"strings"
)

// The v3 API's limits.
const (
	harmonyMaxTokens     = 1000
	harmonyMaxTestTokens = 10
	harmonyMaxTTL        = 1296000
	harmonyMaxBiTag      = 64
	harmonyMaxBody       = 4096
	harmonyMaxAppMsgID   = 64
)

var harmonyCategories = map[string]bool{
	"IM": true, "VOIP": true, "MISS_CALL": true, "SUBSCRIPTION": true, "TRAVEL": true, "HEALTH": true,
	"WORK": true, "ACCOUNT": true, "EXPRESS": true, "FINANCE": true, "DEVICE_REMINDER": true, "MAIL": true,
	"PLAY_VOICE": true, "MARKETING": true,
}

// harmonyValidate checks a v3 body for push-type pt as Push Kit's
// documentation has it, and returns the code and msg of what is wrong.
func harmonyValidate(q *HarmonyRequest, pt int) (string, string) {
	tokens, o := q.Target.Token, q.PushOptions
	switch {
	case len(tokens) == 0 || len(tokens) > harmonyMaxTokens || pt == 1 && len(tokens) != 1:
		return "80300010", "token count should within 1 and 1000."
	case o.TestMessage && len(tokens) > harmonyMaxTestTokens:
		return "80300030", "When send test message, token count exceed limit."
	case o.TTL != nil && (*o.TTL <= 0 || *o.TTL > harmonyMaxTTL):
		return "80100004", "Illegal expire time."
	case len(o.BiTag) > harmonyMaxBiTag:
		return "80100001", "Check Parameter Error."
	}
	body := *q
	body.Target.Token = nil
	if b, _ := json.Marshal(body); len(b) > harmonyMaxBody {
		return "80300008", "Push message size is too long."
	}
	switch pt {
	case 0, 2:
		return harmonyValidateNotification(q.Payload.Notification, pt)
	case 6, 10:
		if q.Payload.ExtraData == nil {
			return "80100003", "Illegal payload, extraData is required."
		}
	}
	return "", ""
}

func harmonyValidateNotification(n *HarmonyNotification, pt int) (string, string) {
	if n == nil {
		return "80100003", "Illegal payload, notification is required."
	}
	switch {
	case !harmonyCategories[n.Category]:
		return "80100003", "Illegal payload, category is invalid."
	case n.Category == "PLAY_VOICE" && pt != 2:
		return "80100003", "Illegal payload, PLAY_VOICE needs push-type 2."
	case strings.TrimSpace(n.Title) == "" || strings.TrimSpace(n.Body) == "":
		return "80100003", "Illegal payload, title and body are required."
	case n.ClickAction == nil:
		return "80100003", "Illegal payload, clickAction is required."
	case n.ClickAction.ActionType != 0 && n.ClickAction.ActionType != 1:
		return "80100003", "Illegal payload, clickAction actionType must be 0 or 1."
	case n.ClickAction.ActionType == 1 && n.ClickAction.Action == "" && n.ClickAction.URI == "":
		return "80100003", "Illegal payload, clickAction needs action or uri."
	case n.Image != "" && !strings.HasPrefix(n.Image, "https://"):
		return "80100003", "Illegal payload, image must be https."
	case n.NotifyID != nil && *n.NotifyID < -1:
		return "80100003", "Illegal payload, notifyId out of range."
	case len(n.AppMessageID) > harmonyMaxAppMsgID:
		return "80100003", "Illegal payload, appMessageId too long."
	}
	if b := n.Badge; b != nil {
		if b.AddNum != nil && (*b.AddNum < 1 || *b.AddNum > 99) {
			return "80100003", "Illegal payload, badge addNum value ranges from 1 to 99."
		}
		if b.SetNum != nil && (*b.SetNum < 0 || *b.SetNum > 99) {
			return "80100003", "Illegal payload, badge setNum value ranges from 0 to 99."
		}
	}
	return "", ""
}
