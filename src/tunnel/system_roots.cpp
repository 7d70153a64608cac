#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
// wincrypt.h needs windows.h first.
#include <wincrypt.h>
#endif

// After wincrypt.h: OpenSSL's headers undefine the names wincrypt.h takes (X509_NAME, ...).
#include "tunnel/system_roots.h"

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

namespace ptvsd::tunnel {

namespace {

#ifdef _WIN32
// OpenSSL on Windows looks for a CA bundle in its build-time directory, which a user's machine does
// not have; Windows keeps its trusted roots (updated by Windows Update, extended by group policy
// for corporate CAs) in the ROOT store.
void add_windows_root_store(X509_STORE* store) {
  HCERTSTORE system = CertOpenSystemStoreW(0, L"ROOT");
  if (system == nullptr) return;
  PCCERT_CONTEXT certificate = nullptr;
  while ((certificate = CertEnumCertificatesInStore(system, certificate)) != nullptr) {
    const unsigned char* bytes = certificate->pbCertEncoded;
    X509* parsed = d2i_X509(nullptr, &bytes, static_cast<long>(certificate->cbCertEncoded));
    if (parsed == nullptr) continue;     // one the OpenSSL parser rejects cannot anchor a chain anyway
    X509_STORE_add_cert(store, parsed);  // a duplicate is harmless
    X509_free(parsed);
  }
  CertCloseStore(system, 0);
}
#endif

}  // namespace

void add_system_roots(X509_STORE* store) {
  X509_STORE_set_default_paths(store);
#ifdef _WIN32
  add_windows_root_store(store);
#endif
}

}  // namespace ptvsd::tunnel
