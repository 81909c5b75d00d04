package providertest

import (
	"time"

	"github.com/pushd/pushd/push/core"
)

// Set is every vendor fake, started together: what `pushd-fakes`, the
// end-to-end tests and the load runs point a pushd at.
type Set struct {
	APNsProduction, APNsSandbox *APNsFake
	FCM                         *FCMFake
	Huawei                      *HuaweiFake
	Xiaomi                      *XiaomiFake
	OPPO                        *OPPOFake
	Vivo                        *VivoFake
	Honor                       *HonorFake
	Harmony                     *HarmonyFake
	Meizu                       *MeizuFake
}

// StartSet starts all the fakes, each answering after latency.
func StartSet(latency time.Duration) (*Set, error) {
	var s Set
	var err error
	if s.APNsProduction, err = StartAPNs(APNsOptions{Environment: APNsProduction}); err == nil {
		if s.APNsSandbox, err = StartAPNs(APNsOptions{Environment: APNsSandbox}); err == nil {
			if s.FCM, err = StartFCM(FCMOptions{}); err == nil {
				if s.Huawei, err = StartHuawei(HuaweiOptions{}); err == nil {
					if s.Xiaomi, err = StartXiaomi(XiaomiOptions{}); err == nil {
						if s.OPPO, err = StartOPPO(OPPOOptions{}); err == nil {
							if s.Vivo, err = StartVivo(VivoOptions{}); err == nil {
								if s.Honor, err = StartHonor(HonorOptions{}); err == nil {
									if s.Harmony, err = StartHarmony(HarmonyOptions{}); err == nil {
										s.Meizu, err = StartMeizu(MeizuOptions{})
									}
								}
							}
						}
					}
				}
			}
		}
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	for _, c := range []*Chaos{&s.APNsProduction.Chaos, &s.APNsSandbox.Chaos, &s.FCM.Chaos, &s.Huawei.Chaos, &s.Xiaomi.Chaos, &s.OPPO.Chaos, &s.Vivo.Chaos, &s.Honor.Chaos, &s.Harmony.Chaos, &s.Meizu.Chaos} {
		c.SetLatency(latency)
	}
	return &s, nil
}

// CAPEM is the certificate every fake serves (httptest's), for
// PUSHD_PROVIDER_CA_FILE.
func (s *Set) CAPEM() []byte { return s.FCM.CAPEM() }

// Env returns the settings that point pushd at the fakes, with caFile
// holding CAPEM.
func (s *Set) Env(caFile string) map[string]string {
	return map[string]string{
		"PUSHD_APNS_PRODUCTION_URL": s.APNsProduction.URL,
		"PUSHD_APNS_SANDBOX_URL":    s.APNsSandbox.URL,
		"PUSHD_FCM_URL":             s.FCM.URL + "/v1",
		"PUSHD_FCM_AUTH_URL":        s.FCM.TokenURL(),
		"PUSHD_HUAWEI_URL":          s.Huawei.URL,
		"PUSHD_HUAWEI_AUTH_URL":     s.Huawei.TokenURL(),
		"PUSHD_XIAOMI_URL":          s.Xiaomi.URL,
		"PUSHD_OPPO_URL":            s.OPPO.URL,
		"PUSHD_OPPO_INTL_URL":       s.OPPO.URL,
		"PUSHD_VIVO_URL":            s.Vivo.URL,
		"PUSHD_HONOR_URL":           s.Honor.URL,
		"PUSHD_HONOR_AUTH_URL":      s.Honor.TokenURL(),
		"PUSHD_HARMONY_URL":         s.Harmony.URL,
		"PUSHD_MEIZU_URL":           s.Meizu.URL,
		"PUSHD_PROVIDER_CA_FILE":    caFile,
	}
}

// Keep bounds every fake's logs to about n requests (long runs).
func (s *Set) Keep(n int) {
	s.APNsProduction.Log.Keep(n)
	s.APNsSandbox.Log.Keep(n)
	s.FCM.Sends.Keep(n)
	s.Huawei.Requests.Keep(n)
	s.Huawei.Receipts.Keep(n)
	s.Xiaomi.Sends.Keep(n)
	s.Xiaomi.Receipts.Keep(n)
	s.OPPO.Sends.Keep(n)
	s.OPPO.Receipts.Keep(n)
	s.Vivo.Sends.Keep(n)
	s.Honor.Sends.Keep(n)
	s.Harmony.Sends.Keep(n)
	s.Harmony.Receipts.Keep(n)
	s.Meizu.Sends.Keep(n)
	s.Meizu.Receipts.Keep(n)
}

// Close stops the fakes that started.
func (s *Set) Close() {
	if s.APNsProduction != nil {
		s.APNsProduction.Close()
	}
	if s.APNsSandbox != nil {
		s.APNsSandbox.Close()
	}
	if s.FCM != nil {
		s.FCM.Close()
	}
	if s.Huawei != nil {
		s.Huawei.Close()
	}
	if s.Xiaomi != nil {
		s.Xiaomi.Close()
	}
	if s.OPPO != nil {
		s.OPPO.Close()
	}
	if s.Vivo != nil {
		s.Vivo.Close()
	}
	if s.Honor != nil {
		s.Honor.Close()
	}
	if s.Harmony != nil {
		s.Harmony.Close()
	}
	if s.Meizu != nil {
		s.Meizu.Close()
	}
}

// Accepted counts, per token, the messages the fakes accepted (a token in
// a batch of Huawei, Xiaomi, OPPO, vivo, Honor, Meizu or HarmonyOS counts unless the answer named it bad), and
// says when the last was accepted: what the devices would have got.
// Counts cover what the logs still hold (Keep bounds them).
func (s *Set) Accepted() (perToken map[string]int, last time.Time) {
	perToken = map[string]int{}
	seen := func(at time.Time, tokens ...string) {
		for _, tok := range tokens {
			perToken[tok]++
		}
		if at.After(last) {
			last = at
		}
	}
	for _, q := range s.APNsProduction.Log.All() {
		if q.Status == 200 {
			seen(q.At, q.Token)
		}
	}
	for _, q := range s.FCM.Sends.All() {
		if q.Status == 200 && !q.ValidateOnly {
			seen(q.At, q.Token)
		}
	}
	for _, q := range s.Huawei.Requests.All() {
		if q.Code == "80000000" && !q.ValidateOnly {
			seen(q.At, q.Tokens...)
		}
	}
	for _, q := range s.Xiaomi.Sends.All() {
		if q.Status == 200 && q.Code == 0 {
			bad := map[string]bool{}
			for _, b := range q.BadRegIDs {
				bad[b] = true
			}
			var good []string
			for _, id := range q.RegIDs {
				if !bad[id] {
					good = append(good, id)
				}
			}
			seen(q.At, good...)
		}
	}
	for _, q := range s.OPPO.Sends.All() {
		if q.Code == 0 {
			for _, r := range q.Results {
				if r.ErrorCode == 0 {
					seen(q.At, r.RegID)
				}
			}
		}
	}
	for _, q := range s.Vivo.Sends.All() {
		if len(q.Delivered) > 0 || len(q.Limited) > 0 {
			seen(q.At, q.Delivered...)
			seen(q.At, q.Limited...)
		}
	}
	for _, q := range s.Honor.Sends.All() {
		seen(q.At, q.Delivered...)
		seen(q.At, q.Limited...)
	}
	for _, q := range s.Harmony.Sends.All() {
		seen(q.At, q.Delivered...)
		seen(q.At, q.Limited...)
	}
	for _, q := range s.Meizu.Sends.All() {
		seen(q.At, q.Delivered...)
	}
	return perToken, last
}

// Requests counts the send requests each fake received (not its auth
// calls), by the vendor's channel key.
func (s *Set) Requests() map[string]int {
	return map[string]int{
		"apns": s.APNsProduction.Log.Total() + s.APNsSandbox.Log.Total(), "fcm": s.FCM.Sends.Total(),
		"huawei": s.Huawei.Requests.Total(), "xiaomi": s.Xiaomi.Sends.Total(), "oppo": s.OPPO.Sends.Total(),
		"vivo": s.Vivo.Sends.Total(), "honor": s.Honor.Sends.Total(), "harmony": s.Harmony.Sends.Total(),
		"meizu": s.Meizu.Sends.Total(),
	}
}

// FirstRequest returns when the first send request reached any fake
// (zero: none yet).
func (s *Set) FirstRequest() time.Time {
	var first time.Time
	for _, at := range []time.Time{
		s.APNsProduction.Log.First(), s.APNsSandbox.Log.First(), s.FCM.Sends.First(), s.Huawei.Requests.First(),
		s.Xiaomi.Sends.First(), s.OPPO.Sends.First(), s.Vivo.Sends.First(), s.Honor.Sends.First(),
		s.Harmony.Sends.First(), s.Meizu.Sends.First(),
	} {
		if !at.IsZero() && (first.IsZero() || at.Before(first)) {
			first = at
		}
	}
	return first
}

// Inputs are credentials for every fake in the API's form, one per vendor
// channel (APNs: the production fake's).
func (s *Set) Inputs() []core.Credentials {
	return []core.Credentials{
		s.APNsProduction.Credentials().Input(), s.FCM.Credentials().Input(),
		s.Huawei.Credentials().Input(), s.Xiaomi.Credentials().Input(), s.OPPO.Credentials().Input(),
		s.Vivo.Credentials().Input(), s.Honor.Credentials().Input(), s.Harmony.Credentials().Input(), s.Meizu.Credentials().Input(),
	}
}
