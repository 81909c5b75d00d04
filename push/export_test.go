package push

import "github.com/pushd/pushd/push/deliver"

// VendorRetryReason is the last error of a delivery a vendor asked to retry.
const VendorRetryReason = deliver.VendorRetryReason
