#include "dc_vciimport.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dc_trust.h"

static bool listed(const char *iss, const char *const *only, size_t n)
{
	if (!only)
		return true;
	for (size_t i = 0; i < n; i++)
		if (strcmp(only[i], iss) == 0)
			return true;
	return false;
}

/* True when the store takes this one key for iss. */
static bool key_ok(const char *iss, const cJSON *key)
{
	cJSON *set = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(set, "keys");
	cJSON_AddItemToArray(arr, cJSON_Duplicate(key, 1));
	char *txt = cJSON_PrintUnformatted(set);
	dc_trust *t = dc_trust_new();
	bool ok = txt && t &&
		  dc_trust_add_jwks(t, iss, NULL, (const uint8_t *)txt, strlen(txt)) == DC_OK;
	dc_trust_free(t);
	free(txt);
	cJSON_Delete(set);
	return ok;
}

/* True when the store takes this CRL for iss (with its keys). */
static bool crl_ok(const char *iss, const cJSON *keys, const cJSON *crl, size_t *entries)
{
	cJSON *set = cJSON_CreateObject();
	cJSON_AddItemToObject(set, "keys", cJSON_Duplicate(keys, 1));
	char *ks = cJSON_PrintUnformatted(set), *cs = cJSON_PrintUnformatted(crl);
	dc_trust *t = dc_trust_new();
	bool ok = ks && cs && t &&
		  dc_trust_add_jwks(t, iss, NULL, (const uint8_t *)ks, strlen(ks)) == DC_OK &&
		  dc_trust_add_crl(t, iss, (const uint8_t *)cs, strlen(cs)) == DC_OK;
	const cJSON *rids = cJSON_GetObjectItemCaseSensitive(crl, "rids");
	*entries = ok && cJSON_IsArray(rids) ? (size_t)cJSON_GetArraySize(rids) : 0;
	dc_trust_free(t);
	free(ks);
	free(cs);
	cJSON_Delete(set);
	return ok;
}

static dc_err one_issuer(const cJSON *info, const char *iss, const dc_vci_crl *crls,
			 size_t n_crls, size_t n, dc_vci_sink sink, void *ctx,
			 dc_vci_import_stats *st, bool *taken)
{
	dc_err e = DC_E_NOMEM;
	const cJSON *issuer = cJSON_GetObjectItemCaseSensitive(info, "issuer");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(issuer, "name");
	const cJSON *keys = cJSON_GetObjectItemCaseSensitive(info, "keys");
	const cJSON *own = cJSON_GetObjectItemCaseSensitive(info, "crls");
	cJSON *out = cJSON_CreateObject(), *oi = NULL, *ok = NULL, *oc = NULL;
	char *txt = NULL;
	size_t nk = 0, nc = 0, ne = 0;
	*taken = false;
	if (!out || !(oi = cJSON_AddObjectToObject(out, "issuer")) ||
	    !cJSON_AddStringToObject(oi, "iss", iss) ||
	    !cJSON_AddStringToObject(oi, "name", cJSON_IsString(name) ? name->valuestring : "") ||
	    !(ok = cJSON_AddArrayToObject(out, "keys")) || !(oc = cJSON_AddArrayToObject(out, "crls")))
		goto out;
	const cJSON *k;
	const cJSON *key_list = cJSON_IsArray(keys) ? keys : NULL;
	cJSON_ArrayForEach(k, key_list) {
		if (key_ok(iss, k)) {
			cJSON_AddItemToArray(ok, cJSON_Duplicate(k, 1));
			nk++;
		} else {
			st->keys_skipped++;
		}
	}
	if (nk == 0) {
		st->issuers_skipped++;
		e = DC_OK;
		goto out;
	}
	/* the snapshot's CRLs, then the files given for this issuer */
	const cJSON *c;
	const cJSON *own_list = cJSON_IsArray(own) ? own : NULL;
	cJSON_ArrayForEach(c, own_list) {
		size_t entries;
		if (crl_ok(iss, ok, c, &entries)) {
			cJSON_AddItemToArray(oc, cJSON_Duplicate(c, 1));
			nc++;
			ne += entries;
		} else {
			st->crls_skipped++;
		}
	}
	for (size_t i = 0; i < n_crls; i++) {
		if (strcmp(crls[i].iss, iss) != 0)
			continue;
		cJSON *cj = cJSON_ParseWithLength((const char *)crls[i].json, crls[i].len);
		size_t entries;
		if (cj && crl_ok(iss, ok, cj, &entries)) {
			cJSON_AddItemToArray(oc, cj);
			cj = NULL;
			nc++;
			ne += entries;
		} else {
			st->crls_skipped++;
		}
		cJSON_Delete(cj);
	}
	if (!(txt = cJSON_PrintUnformatted(out)))
		goto out;
	/* What is written must load as one file, as the kiosk loads it. */
	dc_trust *t = dc_trust_new();
	e = t ? dc_trust_add_issuer_json(t, (const uint8_t *)txt, strlen(txt)) : DC_E_NOMEM;
	dc_trust_free(t);
	if (e != DC_OK)
		goto out;
	if ((e = sink ? sink(ctx, n, iss, txt, strlen(txt)) : DC_OK) != DC_OK)
		goto out;
	*taken = true;
	st->issuers++;
	st->keys += nk;
	st->crls += nc;
	st->crl_entries += ne;
out:
	free(txt);
	cJSON_Delete(out);
	return e;
}

dc_err dc_vci_import(const uint8_t *snapshot, size_t len, const uint8_t *sig, size_t sig_len,
		     const uint8_t *cert, size_t cert_len, const char *pin_sha256_hex,
		     const char *const *only, size_t n_only, const dc_vci_crl *crls,
		     size_t n_crls, dc_vci_sink sink, void *ctx, dc_vci_import_stats *st,
		     const char **missing)
{
	dc_err e;
	cJSON *root = NULL;
	bool *seen = NULL;
	if (!snapshot || !st || (n_only && !only) || (n_crls && !crls))
		return DC_E_ARG;
	memset(st, 0, sizeof *st);
	if (missing)
		*missing = NULL;
	/* The signature and the signer first; nothing is read before. */
	dc_trust *check = dc_trust_new();
	if (!check)
		return DC_E_NOMEM;
	size_t skipped = 0;
	e = dc_trust_add_vci_snapshot(check, snapshot, len, sig, sig_len, cert, cert_len,
				      pin_sha256_hex, &skipped);
	dc_trust_free(check);
	if (e != DC_OK)
		return e;

	e = DC_E_TRUST_FORMAT;
	root = cJSON_ParseWithLength((const char *)snapshot, len);
	const cJSON *infos = cJSON_GetObjectItemCaseSensitive(root, "issuerInfo");
	if (!cJSON_IsArray(infos))
		goto out;
	/* refuse before writing anything: listed issuers must exist */
	for (size_t i = 0; i < n_only; i++) {
		bool found = false;
		const cJSON *info;
		cJSON_ArrayForEach(info, infos) {
			const cJSON *iss = cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(info, "issuer"), "iss");
			found |= cJSON_IsString(iss) && strcmp(iss->valuestring, only[i]) == 0;
		}
		if (!found) {
			if (missing)
				*missing = only[i];
			e = DC_E_ISSUER_UNTRUSTED;
			goto out;
		}
	}
	seen = calloc(n_crls ? n_crls : 1, sizeof *seen);
	if (!seen) {
		e = DC_E_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < n_crls; i++) {
		if (!listed(crls[i].iss, only, n_only)) {
			if (missing)
				*missing = crls[i].iss;
			e = DC_E_CRL_INVALID;
			goto out;
		}
	}
	const cJSON *info;
	size_t n = 0;
	cJSON_ArrayForEach(info, infos) {
		const cJSON *iss = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(info, "issuer"), "iss");
		if (!cJSON_IsString(iss) || !listed(iss->valuestring, only, n_only))
			continue;
		bool taken;
		if ((e = one_issuer(info, iss->valuestring, crls, n_crls, n, sink, ctx, st,
				    &taken)) != DC_OK)
			goto out;
		if (taken) {
			n++;
			for (size_t i = 0; i < n_crls; i++)
				seen[i] |= strcmp(crls[i].iss, iss->valuestring) == 0;
		}
	}
	/* a CRL file whose issuer was dropped (no usable key) */
	for (size_t i = 0; i < n_crls; i++) {
		if (!seen[i]) {
			if (missing)
				*missing = crls[i].iss;
			e = DC_E_CRL_INVALID;
			goto out;
		}
	}
	e = DC_OK;
out:
	free(seen);
	cJSON_Delete(root);
	return e;
}
