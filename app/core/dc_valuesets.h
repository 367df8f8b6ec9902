/*
 * dc_valuesets: readable names for the EU DCC value-set codes (eHealth
 * Network value sets 1.x: disease, vaccine type, product, manufacturer, test
 * type, test result, rapid test device). Static tables, no I/O.
 *
 * Lookups return NULL for an unknown code; callers then show the code as
 * written (value sets grow, and an unknown code is not an error).
 */
#ifndef DC_VALUESETS_H
#define DC_VALUESETS_H

typedef enum {
	DC_VS_DISEASE = 0,      /* tg  disease-agent-targeted */
	DC_VS_VACCINE_TYPE,     /* vp  sct-vaccines-covid-19 */
	DC_VS_VACCINE_PRODUCT,  /* mp  vaccines-covid-19-names */
	DC_VS_MANUFACTURER,     /* ma  vaccines-covid-19-auth-holders */
	DC_VS_TEST_TYPE,        /* tt  covid-19-lab-test-type */
	DC_VS_TEST_RESULT,      /* tr  covid-19-lab-result */
	DC_VS_TEST_DEVICE,      /* ma  covid-19-lab-test-manufacturer-and-name */
	DC_VS__COUNT
} dc_valueset;

#define DC_VS_TEST_NAAT "LP6464-4"
#define DC_VS_TEST_RAT "LP217198-3"
#define DC_VS_RESULT_NOT_DETECTED "260415000"
#define DC_VS_RESULT_DETECTED "260373001"
#define DC_VS_DISEASE_COVID19 "840539006"

const char *dc_valueset_lookup(dc_valueset vs, const char *code);

/* Readable name, or the code itself when unknown (never NULL for non-NULL
 * code). */
const char *dc_valueset_name(dc_valueset vs, const char *code);

#endif
