//go:build ignore

// gencerts writes the .p12 fixtures of the certificate-auth tests: an
// Apple-like APNs client certificate valid for a century (password
// "secret") and one that expired in 2021 (no password). It needs openssl
// for the PKCS#12 encoding (legacy 3DES, which golang.org/x/crypto/pkcs12
// reads):
//
//	cd provider/apns/testdata && go run gencerts.go
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"log"
	"math/big"
	"os"
	"os/exec"
	"time"
)

func main() {
	write("cert-valid", "secret", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2125, 1, 1, 0, 0, 0, 0, time.UTC))
	write("cert-expired", "", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
}

func write(name, password string, notBefore, notAfter time.Time) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	uid := asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject: pkix.Name{
			CommonName:         "Apple Development IOS Push Services: com.example.pushd",
			OrganizationalUnit: []string{"ABCDE12345"},
			Organization:       []string{"pushd tests"},
			ExtraNames:         []pkix.AttributeTypeAndValue{{Type: uid, Value: "com.example.pushd"}},
		},
		NotBefore:   notBefore,
		NotAfter:    notAfter,
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		log.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		log.Fatal(err)
	}
	pemFile := name + ".tmp.pem"
	data := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})...)
	if err := os.WriteFile(pemFile, data, 0o600); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(pemFile)
	cmd := exec.Command("openssl", "pkcs12", "-export", "-legacy", "-in", pemFile, "-out", name+".p12",
		"-passout", "pass:"+password)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		log.Fatal(err)
	}
}
