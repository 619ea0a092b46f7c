// SPDX-License-Identifier: GPL-2.0
/*
 * HMAC-SHA256 with libcrypto loaded at its first use (relay_crypto.h):
 * ktracectl's. Linking libcrypto would cost every ktracectl command its
 * load and relocation at start (thousands of symbol and relative
 * relocations); only a net:// output whose receiver asks for a token
 * needs it. dpkg-shlibdeps cannot see a dlopen()ed library: the ktracectl
 * package names libssl3 in its Depends (debian/control).
 *
 * Not thread-safe: ktracectl is single-threaded.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/opensslv.h>

#include "relay_crypto.h"

#if OPENSSL_VERSION_MAJOR != 3
#error "relay_crypto_dl.c loads libcrypto.so.3: build against OpenSSL 3"
#endif

/* Tests name a missing library here to check the error. */
#ifndef RELAY_LIBCRYPTO
#define RELAY_LIBCRYPTO "libcrypto.so.3"
#endif

static struct {
	void *lib;
	__typeof__(&HMAC) hmac;
	__typeof__(&EVP_sha256) sha256;
	char err[256];
} crypto;

static int crypto_load(void)
{
	const char *why;

	if (crypto.lib)
		return 0;
	crypto.lib = dlopen(RELAY_LIBCRYPTO, RTLD_NOW | RTLD_LOCAL);
	if (crypto.lib) {
		crypto.hmac = (__typeof__(&HMAC))dlsym(crypto.lib, "HMAC");
		crypto.sha256 = (__typeof__(&EVP_sha256))dlsym(crypto.lib,
							       "EVP_sha256");
		if (crypto.hmac && crypto.sha256)
			return 0;
	}
	why = dlerror();
	snprintf(crypto.err, sizeof(crypto.err),
		 "%s is needed (Debian: install libssl3, or libssl3t64): %s",
		 RELAY_LIBCRYPTO, why ? why : "no HMAC in it");
	if (crypto.lib)
		dlclose(crypto.lib);
	crypto.lib = NULL;
	return -ENOENT;
}

int relay_hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *msg,
		      size_t msg_len, uint8_t out[RELAY_HMAC_LEN])
{
	unsigned int olen = RELAY_HMAC_LEN;
	int ret = crypto_load();

	if (ret)
		return ret;
	if (!crypto.hmac(crypto.sha256(), key, (int)key_len, msg, msg_len, out,
			 &olen) ||
	    olen != RELAY_HMAC_LEN) {
		snprintf(crypto.err, sizeof(crypto.err), "HMAC-SHA256 failed");
		return -EIO;
	}
	return 0;
}

const char *relay_crypto_error(void)
{
	return crypto.err[0] ? crypto.err : "HMAC-SHA256 failed";
}
