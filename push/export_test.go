package push

// VendorRetryReason is the last error of a delivery a vendor asked to retry.
const VendorRetryReason = vendorRetryReason
