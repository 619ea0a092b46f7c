// SPDX-License-Identifier: GPL-2.0
/*
 * HMAC-SHA256 with libcrypto linked in (relay_crypto.h): ktrace-relayd's.
 */
#include <errno.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "relay_crypto.h"

int relay_hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *msg,
		      size_t msg_len, uint8_t out[RELAY_HMAC_LEN])
{
	unsigned int olen = RELAY_HMAC_LEN;

	if (!HMAC(EVP_sha256(), key, (int)key_len, msg, msg_len, out, &olen) ||
	    olen != RELAY_HMAC_LEN)
		return -EIO;
	return 0;
}

const char *relay_crypto_error(void)
{
	return "HMAC-SHA256 failed";
}
