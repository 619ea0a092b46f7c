/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one cryptographic primitive the relay protocol needs, HMAC-SHA256
 * (OpenSSL's libcrypto), behind a shim with two implementations:
 *
 * - relay_crypto.c calls libcrypto directly: ktrace-relayd links it.
 * - relay_crypto_dl.c loads libcrypto.so.3 with dlopen() at its first
 *   use: ktracectl, whose commands other than a net:// output's
 *   authentication then never pay for loading and relocating libcrypto.
 *
 * relay_proto.c's relay_mac() is the only caller.
 */
#ifndef KTRACE_RELAY_CRYPTO_H
#define KTRACE_RELAY_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define RELAY_HMAC_LEN		32

/*
 * HMAC-SHA256 of @msg keyed with @key into @out. Return: 0, -EIO (HMAC
 * failed), -ENOENT (relay_crypto_dl.c: libcrypto cannot be loaded).
 */
int relay_hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *msg,
		      size_t msg_len, uint8_t out[RELAY_HMAC_LEN]);

/*
 * Why the last relay_hmac_sha256() failed, one line for the user (naming
 * the package to install when libcrypto is missing).
 */
const char *relay_crypto_error(void);

#endif
