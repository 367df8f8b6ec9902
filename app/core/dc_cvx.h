/*
 * dc_cvx: the CDC CVX vaccine codes that appear on COVID-19 SMART Health
 * Cards, with a readable product name and the number of doses that complete
 * the primary series (used by the venue policy). Static table, no I/O.
 */
#ifndef DC_CVX_H
#define DC_CVX_H

typedef struct {
	const char *code;       /* "207" */
	const char *product;    /* "Moderna COVID-19 (mRNA-1273)" */
	const char *manufacturer;
	int series_doses;       /* doses in a complete primary series, 0 = n/a */
	int covid19;            /* 1 when the code is a COVID-19 vaccine */
} dc_cvx_info;

/* NULL when the code is unknown. */
const dc_cvx_info *dc_cvx_lookup(const char *code);

#endif
