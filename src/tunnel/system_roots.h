// The platform's trusted root certificates, added to an OpenSSL store. On Linux and macOS builds,
// OpenSSL's default paths (Debian: /etc/ssl/certs); on Windows, the ROOT system store too.
#pragma once

#include <openssl/ossl_typ.h>

namespace ptvsd::tunnel {

void add_system_roots(X509_STORE* store);

}  // namespace ptvsd::tunnel
