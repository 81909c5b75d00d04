package core

import (
	"github.com/pushd/pushd/ent/schema/enum"
	"github.com/pushd/pushd/ent/schema/nodeid"
)

// ReceiptPath is where a vendor posts receipts for one channel config, on
// pushd's public address; "" for vendors without receipt callbacks.
func ReceiptPath(c enum.Channel, configID nodeid.ID) string {
	switch c {
	case enum.ChannelHuawei:
		return "/vendor/v1/huawei/" + string(configID) + "/receipts"
	case enum.ChannelXiaomi:
		return "/vendor/v1/xiaomi/" + string(configID) + "/receipts"
	}
	return ""
}
