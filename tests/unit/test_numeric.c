/* shc:/ numeric decoding and chunk assembly: every validity rule. */
#include <stdlib.h>
#include <string.h>

#include "dc_shc.h"
#include "dc_test.h"
#include "dc_verify.h"

static char out[DC_SHC_MAX_JWS + 1];

static dc_err dec1(const char *t)
{
	size_t len = strlen(t), ol;
	return dc_shc_decode(&t, &len, 1, out, sizeof out, &ol);
}

static dc_err decn(size_t n, const char **t)
{
	size_t lens[32], ol;
	for (size_t i = 0; i < n; i++)
		lens[i] = strlen(t[i]);
	return dc_shc_decode(t, lens, n, out, sizeof out, &ol);
}

int main(void)
{
	/* "eyJ" -> 'e'=101-45=56, 'y'=121-45=76, 'J'=74-45=29 */
	CHECK_EQ_INT(dec1("shc:/567629"), DC_OK);
	CHECK_STR(out, "eyJ");
	CHECK_EQ_INT(dec1("SHC:/567629"), DC_OK); /* scheme is case-insensitive */
	CHECK_EQ_INT(dec1("shc:/00"), DC_OK);
	CHECK_STR(out, "-");
	CHECK_EQ_INT(dec1("shc:/77"), DC_OK);
	CHECK_STR(out, "z");

	/* prefix */
	CHECK_EQ_INT(dec1("567629"), DC_E_SHC_PREFIX);
	CHECK_EQ_INT(dec1("shc:567629"), DC_E_SHC_PREFIX);
	CHECK_EQ_INT(dec1("shc//567629"), DC_E_SHC_PREFIX);
	CHECK_EQ_INT(dec1("hc1:/567629"), DC_E_SHC_PREFIX);
	CHECK_EQ_INT(dec1(" shc:/567629"), DC_E_SHC_PREFIX);
	CHECK_EQ_INT(dec1("shc"), DC_E_SHC_PREFIX);
	CHECK_EQ_INT(dec1(""), DC_E_EMPTY);
	/* digits */
	CHECK_EQ_INT(dec1("shc:/"), DC_E_SHC_NO_DIGITS);
	CHECK_EQ_INT(dec1("shc:/56762"), DC_E_SHC_ODD_DIGITS);
	CHECK_EQ_INT(dec1("shc:/5"), DC_E_SHC_ODD_DIGITS);
	CHECK_EQ_INT(dec1("shc:/5678"), DC_E_SHC_DIGIT_RANGE);
	CHECK_EQ_INT(dec1("shc:/99"), DC_E_SHC_DIGIT_RANGE);
	CHECK_EQ_INT(dec1("shc:/567629 "), DC_E_SHC_NON_DIGIT);
	CHECK_EQ_INT(dec1("shc:/567629\n"), DC_E_SHC_NON_DIGIT);
	CHECK_EQ_INT(dec1("shc:/5676x9"), DC_E_SHC_NON_DIGIT);
	CHECK_EQ_INT(dec1("shc:/567629abc"), DC_E_SHC_NON_DIGIT);
	{
		const char nul[] = "shc:/56\0" "7629";
		const char *p = nul;
		size_t len = sizeof nul - 1, ol;
		CHECK_EQ_INT(dc_shc_decode(&p, &len, 1, out, sizeof out, &ol), DC_E_SHC_NON_DIGIT);
	}
	/* length limit */
	{
		size_t n = DC_MAX_QR_TEXT + 1;
		char *big = malloc(n + 1);
		memcpy(big, "shc:/", 5);
		memset(big + 5, '1', n - 5);
		big[n] = 0;
		CHECK_EQ_INT(dec1(big), DC_E_TOO_LONG);
		free(big);
	}

	/* chunk headers */
	int idx, tot;
	CHECK_EQ_INT(dc_shc_chunk_info("shc:/2/3/5676", 13, &idx, &tot), DC_OK);
	CHECK_EQ_INT(idx, 2);
	CHECK_EQ_INT(tot, 3);
	CHECK_EQ_INT(dc_shc_chunk_info("shc:/5676", 9, &idx, &tot), DC_OK);
	CHECK_EQ_INT(idx, 1);
	CHECK_EQ_INT(tot, 1);
	CHECK_EQ_INT(dec1("shc:/1/1/567629"), DC_OK); /* one of one: the single card it is */
	CHECK_EQ_INT(dec1("shc:/2/1/5676"), DC_E_SHC_CHUNK_RANGE);
	CHECK_EQ_INT(dec1("shc:/0/2/5676"), DC_E_SHC_CHUNK_HEADER); /* leading zero / zero */
	CHECK_EQ_INT(dec1("shc:/3/2/5676"), DC_E_SHC_CHUNK_RANGE);
	CHECK_EQ_INT(dec1("shc:/17/17/5676"), DC_E_SHC_TOO_MANY_CHUNKS);
	CHECK_EQ_INT(dec1("shc:/1/2/3/5676"), DC_E_SHC_CHUNK_MISSING); /* "3/5676" is data of part 1 of 2 */
	CHECK_EQ_INT(dec1("shc:/1/x/5676"), DC_E_SHC_CHUNK_HEADER);
	CHECK_EQ_INT(dec1("shc:/1//5676"), DC_E_SHC_CHUNK_HEADER);
	CHECK_EQ_INT(dec1("shc://2/5676"), DC_E_SHC_CHUNK_HEADER);
	CHECK_EQ_INT(dec1("shc:/01/2/5676"), DC_E_SHC_CHUNK_HEADER);
	CHECK_EQ_INT(dec1("shc:/1/2/"), DC_E_SHC_CHUNK_MISSING); /* 1 of 2 alone */
	CHECK_EQ_INT(dec1("shc:/1/2"), DC_E_SHC_CHUNK_HEADER);
	CHECK_EQ_INT(dec1("shc:/1234/5678/56"), DC_E_SHC_CHUNK_HEADER);

	/* assembly, any order */
	{
		const char *t[] = {"shc:/2/3/7629", "shc:/3/3/56", "shc:/1/3/56"};
		CHECK_EQ_INT(decn(3, t), DC_OK);
		CHECK_STR(out, "eyJe");
	}
	{
		const char *t[] = {"shc:/1/3/56", "shc:/2/3/7629"};
		CHECK_EQ_INT(decn(2, t), DC_E_SHC_CHUNK_MISSING);
	}
	{
		const char *t[] = {"shc:/1/3/56", "shc:/1/3/56", "shc:/2/3/7629"};
		CHECK_EQ_INT(decn(3, t), DC_E_SHC_CHUNK_DUPLICATE);
	}
	{
		const char *t[] = {"shc:/1/2/56", "shc:/2/2/76", "shc:/2/2/76"};
		CHECK_EQ_INT(decn(3, t), DC_E_SHC_CHUNK_DUPLICATE);
	}
	{
		const char *t[] = {"shc:/1/2/56", "shc:/2/3/76"};
		CHECK_EQ_INT(decn(2, t), DC_E_SHC_CHUNK_COUNT);
	}
	{
		const char *t[] = {"shc:/1/2/56", "shc:/5676"};
		CHECK_EQ_INT(decn(2, t), DC_E_SHC_CHUNK_MIXED);
	}
	{
		const char *t[] = {"shc:/5676", "shc:/5676"};
		CHECK_EQ_INT(decn(2, t), DC_E_SHC_CHUNK_MIXED);
	}
	{
		const char *t[] = {"shc:/1/2/56", "shc:/2/2/5"};
		CHECK_EQ_INT(decn(2, t), DC_E_SHC_ODD_DIGITS);
	}
	{
		const char *t[] = {"shc:/1/2/56", "shc:/2/2/"};
		CHECK_EQ_INT(decn(2, t), DC_E_SHC_NO_DIGITS);
	}
	{
		const char *t[17];
		for (int i = 0; i < 17; i++)
			t[i] = "shc:/5676";
		CHECK_EQ_INT(decn(17, t), DC_E_SHC_TOO_MANY_CHUNKS);
	}
	/* output bound */
	{
		const char *t = "shc:/56765676";
		size_t len = strlen(t), ol;
		char small[3];
		CHECK_EQ_INT(dc_shc_decode(&t, &len, 1, small, sizeof small, &ol), DC_E_TOO_LONG);
	}
	/* classification */
	CHECK_EQ_INT(dc_classify("shc:/5676", 9), DC_FORMAT_SHC);
	CHECK_EQ_INT(dc_classify("HC1:NCF", 7), DC_FORMAT_DCC);
	CHECK_EQ_INT(dc_classify("https://example.org/pass", 24), DC_FORMAT_URL);
	CHECK_EQ_INT(dc_classify("hello", 5), DC_FORMAT_TEXT);
	CHECK_EQ_INT(dc_classify("", 0), DC_FORMAT_NONE);
	return dc_test_done();
}
