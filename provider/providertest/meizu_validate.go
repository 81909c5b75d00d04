package providertest

import (
	"encoding/json"
	"regexp"
	"unicode/utf8"
)

// MeizuMessage is a notification's messageJson as the fake read it. The
// switches are taken as numbers or booleans, as Meizu's docs and SDK
// differ.
type MeizuMessage struct {
	NoticeBarInfo struct {
		NoticeMsgType int    `json:"noticeMsgType"`
		NoticeBarType int    `json:"noticeBarType"`
		Title         string `json:"title"`
		Content       string `json:"content"`
	} `json:"noticeBarInfo"`
	ClickTypeInfo struct {
		ClickType       int               `json:"clickType"`
		URL             string            `json:"url"`
		Activity        string            `json:"activity"`
		Parameters      map[string]string `json:"parameters"`
		CustomAttribute string            `json:"customAttribute"`
	} `json:"clickTypeInfo"`
	PushTimeInfo meizuPushTimeInfo `json:"pushTimeInfo"`
	AdvanceInfo  struct {
		NotifyKey string `json:"notifyKey"`
	} `json:"advanceInfo"`
	Extra map[string]string `json:"extra"`
}

type meizuPushTimeInfo struct {
	OffLine   json.RawMessage `json:"offLine"`
	ValidTime *int            `json:"validTime"`
}

// MeizuPassThrough is a pass-through message's messageJson.
type MeizuPassThrough struct {
	Title        string            `json:"title"`
	Content      string            `json:"content"`
	PushTimeInfo meizuPushTimeInfo `json:"pushTimeInfo"`
}

var meizuNotifyKey = regexp.MustCompile(`^[0-9a-zA-Z_-]{1,8}$`)

// meizuReadMessage reads and checks a call's pushIds and messageJson and
// returns Meizu's code for what is wrong, or "".
func meizuReadMessage(send *MeizuSend, text string, passThrough bool) string {
	if len(send.PushIDs) == 0 || len(send.PushIDs) > meizuMaxTargets {
		return "1005"
	}
	for _, id := range send.PushIDs {
		if id == "" {
			return "110004"
		}
	}
	if text == "" {
		return "110004"
	}
	if passThrough {
		var p MeizuPassThrough
		if json.Unmarshal([]byte(text), &p) != nil || len(p.Content) > meizuMaxPassThrough || !p.PushTimeInfo.valid() {
			return "1005"
		}
		send.PassThrough = &p
		return ""
	}
	var m MeizuMessage
	if json.Unmarshal([]byte(text), &m) != nil {
		return "1005"
	}
	send.Message = &m
	return m.check()
}

func (p meizuPushTimeInfo) valid() bool {
	return p.ValidTime == nil || *p.ValidTime >= 1 && *p.ValidTime <= meizuMaxValidTime
}

func (m *MeizuMessage) check() string {
	n, c := m.NoticeBarInfo, m.ClickTypeInfo
	switch {
	case n.NoticeMsgType != 0 && n.NoticeMsgType != 1, n.NoticeBarType != 0 && n.NoticeBarType != 2:
		return "1005"
	case n.Title == "" || utf8.RuneCountInString(n.Title) > meizuMaxTitle:
		return "1005"
	case n.Content == "" || utf8.RuneCountInString(n.Content) > meizuMaxContent:
		return "1005"
	case c.ClickType < 0 || c.ClickType > 3, c.ClickType == 1 && c.Activity == "", c.ClickType == 2 && c.URL == "":
		return "1005"
	case !m.PushTimeInfo.valid():
		return "1005"
	case m.AdvanceInfo.NotifyKey != "" && !meizuNotifyKey.MatchString(m.AdvanceInfo.NotifyKey):
		return "1005"
	case len(m.Extra["callback"]) > meizuMaxCallback, len(m.Extra["callback.param"]) > meizuMaxCallbackPara:
		return "1005"
	}
	return ""
}
