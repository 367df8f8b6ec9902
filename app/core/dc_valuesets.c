#include "dc_valuesets.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

struct entry {
	const char *code, *name;
};

static const struct entry disease[] = {
	{"840539006", "COVID-19"},
};

static const struct entry vaccine_type[] = {
	{"1119305005", "SARS-CoV-2 antigen vaccine"},
	{"1119349007", "SARS-CoV-2 mRNA vaccine"},
	{"J07BX03", "COVID-19 vaccine"},
	{"29061000087103", "COVID-19 non-replicating viral vector vaccine"},
	{"28531000087107", "COVID-19 vaccine"},
	{"1157024006", "Inactivated whole SARS-CoV-2 antigen vaccine"},
	{"1162643001", "SARS-CoV-2 recombinant spike protein antigen vaccine"},
};

static const struct entry vaccine_product[] = {
	{"EU/1/20/1528", "Comirnaty (BioNTech/Pfizer)"},
	{"EU/1/20/1507", "Spikevax (Moderna)"},
	{"EU/1/21/1529", "Vaxzevria (AstraZeneca)"},
	{"EU/1/20/1525", "Jcovden (Janssen)"},
	{"EU/1/21/1618", "Nuvaxovid (Novavax)"},
	{"EU/1/21/1624", "COVID-19 Vaccine Valneva"},
	{"EU/1/22/1724", "VidPrevtyn Beta (Sanofi)"},
	{"EU/1/22/1709", "Bimervax (HIPRA)"},
	{"CVnCoV", "CVnCoV (CureVac)"},
	{"NVX-CoV2373", "NVX-CoV2373 (Novavax)"},
	{"Sputnik-V", "Sputnik V"},
	{"Sputnik-Light", "Sputnik Light"},
	{"Convidecia", "Convidecia (CanSino)"},
	{"EpiVacCorona", "EpiVacCorona"},
	{"BBIBP-CorV", "BBIBP-CorV (Sinopharm)"},
	{"Inactivated-SARS-CoV-2-Vero-Cell", "Inactivated SARS-CoV-2 (Vero Cell)"},
	{"CoronaVac", "CoronaVac (Sinovac)"},
	{"Covaxin", "Covaxin (Bharat Biotech)"},
	{"Covishield", "Covishield (Serum Institute of India)"},
	{"R-COVI", "R-COVI"},
	{"CoviVac", "CoviVac"},
	{"Hayat-Vax", "Hayat-Vax"},
	{"Abdala", "Abdala"},
	{"Soberana-02", "Soberana 02"},
	{"Soberana-Plus", "Soberana Plus"},
	{"WIBP-CorV", "WIBP-CorV (Sinopharm)"},
	{"MVC-COV1901", "MVC COVID-19 vaccine (Medigen)"},
	{"Covovax", "Covovax"},
	{"Covid-19-recombinant", "COVID-19 (recombinant)"},
};

static const struct entry manufacturer[] = {
	{"ORG-100001699", "AstraZeneca AB"},
	{"ORG-100030215", "BioNTech Manufacturing GmbH"},
	{"ORG-100001417", "Janssen-Cilag International"},
	{"ORG-100031184", "Moderna Biotech Spain S.L."},
	{"ORG-100006270", "CureVac AG"},
	{"ORG-100013793", "CanSino Biologics"},
	{"ORG-100020693", "China Sinopharm International Corp."},
	{"ORG-100010771", "Sinopharm Weiqida Europe Pharmaceutical"},
	{"ORG-100024420", "Sinopharm Zhijun (Shenzhen) Pharmaceutical"},
	{"ORG-100032020", "Novavax CZ a.s."},
	{"ORG-100001981", "Serum Institute of India"},
	{"ORG-100007893", "R-Pharm CJSC"},
	{"ORG-100023050", "Gulf Pharmaceutical Industries"},
	{"ORG-100033914", "Medigen Vaccine Biologics"},
	{"ORG-100036422", "Valneva France"},
	{"ORG-100000788", "Sanofi Pasteur"},
	{"ORG-100008549", "Laboratorios Hipra"},
	{"Gamaleya-Research-Institute", "Gamaleya Research Institute"},
	{"Vector-Institute", "Vector Institute"},
	{"Sinovac-Biotech", "Sinovac Biotech"},
	{"Bharat-Biotech", "Bharat Biotech"},
	{"Chumakov-Federal-Scientific-Center", "Chumakov Federal Scientific Center"},
	{"CIGB", "Center for Genetic Engineering and Biotechnology"},
	{"Instituto-Finlay-de-Vacunas", "Instituto Finlay de Vacunas"},
	{"Sinopharm-WIBP", "Sinopharm Wuhan Institute of Biological Products"},
};

static const struct entry test_type[] = {
	{"LP6464-4", "NAAT (PCR)"},
	{"LP217198-3", "Rapid antigen test"},
};

static const struct entry test_result[] = {
	{"260415000", "Not detected"},
	{"260373001", "Detected"},
};

static const struct entry test_device[] = {
	{"1232", "Abbott Panbio COVID-19 Ag Rapid Test"},
	{"1065", "BD Veritor System SARS-CoV-2"},
	{"1218", "Siemens CLINITEST Rapid COVID-19 Antigen Test"},
	{"1268", "LumiraDx SARS-CoV-2 Ag Test"},
	{"1304", "AMEDA AMP Rapid Test SARS-CoV-2 Ag"},
	{"1331", "Beijing Lepu SARS-CoV-2 Antigen Rapid Test"},
	{"1343", "Zhejiang Orient Gene Coronavirus Ag Rapid Test"},
	{"1363", "Hangzhou Clongene COVID-19 Antigen Rapid Test"},
	{"1833", "AAZ-LMB COVID-VIRO"},
	{"1242", "Bionote NowCheck COVID-19 Ag Test"},
	{"344", "SD Biosensor STANDARD F COVID-19 Ag FIA"},
	{"345", "SD Biosensor STANDARD Q COVID-19 Ag Test"},
	{"1097", "Quidel Sofia SARS Antigen FIA"},
	{"1162", "Nal von Minden NADAL COVID-19 Ag Test"},
	{"2010", "Atlas Link Technology NOVA Test SARS-CoV-2 Antigen"},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const struct entry *e;
	size_t n;
} tables[DC_VS__COUNT] = {
	[DC_VS_DISEASE] = {disease, N(disease)},
	[DC_VS_VACCINE_TYPE] = {vaccine_type, N(vaccine_type)},
	[DC_VS_VACCINE_PRODUCT] = {vaccine_product, N(vaccine_product)},
	[DC_VS_MANUFACTURER] = {manufacturer, N(manufacturer)},
	[DC_VS_TEST_TYPE] = {test_type, N(test_type)},
	[DC_VS_TEST_RESULT] = {test_result, N(test_result)},
	[DC_VS_TEST_DEVICE] = {test_device, N(test_device)},
};

const char *dc_valueset_lookup(dc_valueset vs, const char *code)
{
	if ((int)vs < 0 || vs >= DC_VS__COUNT || !code)
		return NULL;
	for (size_t i = 0; i < tables[vs].n; i++)
		if (strcmp(tables[vs].e[i].code, code) == 0)
			return tables[vs].e[i].name;
	return NULL;
}

const char *dc_valueset_name(dc_valueset vs, const char *code)
{
	const char *n = dc_valueset_lookup(vs, code);
	return n ? n : code;
}

static const char *const ids[DC_VS__COUNT] = {
	[DC_VS_DISEASE] = "disease-agent-targeted",
	[DC_VS_VACCINE_TYPE] = "sct-vaccines-covid-19",
	[DC_VS_VACCINE_PRODUCT] = "vaccines-covid-19-names",
	[DC_VS_MANUFACTURER] = "vaccines-covid-19-auth-holders",
	[DC_VS_TEST_TYPE] = "covid-19-lab-test-type",
	[DC_VS_TEST_RESULT] = "covid-19-lab-result",
	[DC_VS_TEST_DEVICE] = "covid-19-lab-test-manufacturer-and-name",
};

const char *dc_valueset_id(dc_valueset vs)
{
	return (int)vs >= 0 && vs < DC_VS__COUNT ? ids[vs] : "";
}

/* --- value sets from trust data ------------------------------------------ */

struct vcode {
	char code[DC_VALUESETS_MAX_CODE];
	char display[DC_VALUESETS_MAX_DISPLAY];
};

struct vset {
	bool present;
	struct vcode *codes; /* sorted by code */
	size_t n;
};

struct dc_valuesets {
	struct vset set[DC_VS__COUNT];
};

static int vcode_cmp(const void *a, const void *b)
{
	return strcmp(((const struct vcode *)a)->code, ((const struct vcode *)b)->code);
}

static void vset_clear(struct vset *s)
{
	free(s->codes);
	memset(s, 0, sizeof *s);
}

void dc_valuesets_free(dc_valuesets *v)
{
	if (!v)
		return;
	for (int i = 0; i < DC_VS__COUNT; i++)
		vset_clear(&v->set[i]);
	free(v);
}

/* Copies at most cap - 1 bytes, cut before a UTF-8 continuation byte. */
static void copy_cut(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = 0;
}

static dc_err parse_set(const cJSON *js, dc_valuesets *v)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(js, "valueSetId");
	const cJSON *vals = cJSON_GetObjectItemCaseSensitive(js, "valueSetValues");
	if (!cJSON_IsObject(js) || !cJSON_IsString(id) || !cJSON_IsObject(vals))
		return DC_E_VALUESET_FORMAT;
	int which = -1;
	for (int i = 0; i < DC_VS__COUNT; i++)
		if (strcmp(id->valuestring, ids[i]) == 0)
			which = i;
	if (which < 0)
		return DC_OK; /* a set this build has no use for */
	struct vset *s = &v->set[which];
	if (s->present)
		return DC_E_VALUESET_FORMAT; /* the same set twice: which one? */
	size_t n = (size_t)cJSON_GetArraySize(vals);
	if (n > DC_VALUESETS_MAX_CODES)
		return DC_E_VALUESET_FORMAT;
	s->codes = calloc(n ? n : 1, sizeof *s->codes);
	if (!s->codes)
		return DC_E_NOMEM;
	s->present = true;
	const cJSON *it;
	cJSON_ArrayForEach(it, vals) {
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(it, "display");
		size_t cl = it->string ? strlen(it->string) : 0;
		if (!cJSON_IsObject(it) || cl == 0 || cl >= DC_VALUESETS_MAX_CODE ||
		    (d && !cJSON_IsString(d)))
			return DC_E_VALUESET_FORMAT;
		memcpy(s->codes[s->n].code, it->string, cl + 1);
		copy_cut(s->codes[s->n].display, sizeof s->codes[s->n].display,
			 cJSON_IsString(d) && d->valuestring[0] ? d->valuestring : it->string);
		s->n++;
	}
	qsort(s->codes, s->n, sizeof *s->codes, vcode_cmp);
	for (size_t i = 1; i < s->n; i++)
		if (strcmp(s->codes[i - 1].code, s->codes[i].code) == 0)
			return DC_E_VALUESET_FORMAT;
	return DC_OK;
}

dc_valuesets *dc_valuesets_parse(const uint8_t *json, size_t len, dc_err *e)
{
	dc_err err = DC_E_VALUESET_FORMAT;
	dc_valuesets *v = NULL;
	cJSON *root = json ? cJSON_ParseWithLength((const char *)json, len) : NULL;
	const cJSON *sets = cJSON_IsArray(root) ? root
			    : cJSON_GetObjectItemCaseSensitive(root, "valueSets");
	if (!cJSON_IsArray(sets))
		goto out;
	if (!(v = calloc(1, sizeof *v))) {
		err = DC_E_NOMEM;
		goto out;
	}
	const cJSON *it;
	cJSON_ArrayForEach(it, sets) {
		if ((err = parse_set(it, v)) != DC_OK)
			goto out;
	}
	err = DC_OK;
out:
	cJSON_Delete(root);
	if (err != DC_OK) {
		dc_valuesets_free(v);
		v = NULL;
	}
	if (e)
		*e = err;
	return v;
}

dc_err dc_valuesets_merge(dc_valuesets *dst, dc_valuesets *src)
{
	if (!dst || !src)
		return DC_E_ARG;
	for (int i = 0; i < DC_VS__COUNT; i++) {
		if (!src->set[i].present)
			continue;
		vset_clear(&dst->set[i]);
		dst->set[i] = src->set[i];
		memset(&src->set[i], 0, sizeof src->set[i]);
	}
	return DC_OK;
}

size_t dc_valuesets_loaded(const dc_valuesets *v)
{
	size_t n = 0;
	for (int i = 0; v && i < DC_VS__COUNT; i++)
		n += v->set[i].present;
	return n;
}

const char *dc_valuesets_lookup(const dc_valuesets *v, dc_valueset vs, const char *code)
{
	if ((int)vs < 0 || vs >= DC_VS__COUNT || !code)
		return NULL;
	if (!v || !v->set[vs].present)
		return dc_valueset_lookup(vs, code);
	struct vcode key;
	if (strlen(code) >= sizeof key.code)
		return NULL;
	strcpy(key.code, code);
	const struct vcode *hit = bsearch(&key, v->set[vs].codes, v->set[vs].n,
					  sizeof key, vcode_cmp);
	return hit ? hit->display : NULL;
}

bool dc_valuesets_complete(const dc_valuesets *v, dc_valueset vs)
{
	if ((int)vs < 0 || vs >= DC_VS__COUNT)
		return false;
	return vs != DC_VS_TEST_DEVICE || (v && v->set[vs].present);
}
