package xiaomi

// codeWords say what Xiaomi's documented send codes mean, in pushd's
// words: a reason quotes a code and these, never the answer's own reason
// or description (see channel.Code). A code missing here gets the words
// of its class.
var codeWords = map[int]string{
	-1:     "unknown error",
	1:      "internal error",
	10001:  "system error",
	10002:  "service busy",
	10003:  "remote service error",
	10008:  "parameter error",
	10012:  "illegal request",
	10016:  "a required parameter is missing",
	10017:  "illegal parameter value",
	10027:  "API called too frequently",
	10029:  "illegal device",
	10031:  "the app is blacklisted",
	10034:  "daily quota used up",
	10036:  "app operation forbidden",
	10037:  "request expired",
	20301:  "sending the message failed",
	20607:  "service temporarily unavailable",
	21301:  "invalid AppSecret",
	21302:  "token authentication failed",
	21303:  "restricted request",
	21305:  "no target (regid, topic, alias, ...)",
	22000:  "illegal application",
	22006:  "illegal app ID",
	22007:  "illegal app key",
	22022:  "invalid package name",
	22102:  "service temporarily unavailable",
	26003:  "service temporarily unavailable",
	26004:  "broadcasts sent too frequently",
	26006:  "sending requires review",
	27001:  "channel information mismatch",
	65003:  "service temporarily unavailable",
	65009:  "message content too long",
	65011:  "a parameter was not provided",
	65014:  "too many key/value pairs",
	65015:  "key/value pairs too long in total",
	65029:  "remote service exception",
	65036:  "callback parameter too long",
	65037:  "callback URL too long",
	65038:  "illegal callback URL",
	66108:  "the app's settings were refused",
	200001: "daily quota used up",
}

// words is what a reason says about code: its own words, else its class's.
func words(code int, class string) string {
	if w, ok := codeWords[code]; ok {
		return w
	}
	return class
}
