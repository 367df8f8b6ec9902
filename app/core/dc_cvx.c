/*
 * CVX codes seen on COVID-19 SMART Health Cards. Source: CDC CVX code set
 * (IIS vaccine codes), product names shortened for a small screen.
 * series_doses is the primary series length for a person of the age group
 * the product is for; 0 where a series length is not defined (unspecified
 * formulations), which the policy treats as "cannot tell".
 */
#include <string.h>

#include "dc_cvx.h"

static const dc_cvx_info table[] = {
	{"207", "Moderna COVID-19", "Moderna", 2, 1},
	{"208", "Pfizer-BioNTech COVID-19", "Pfizer-BioNTech", 2, 1},
	{"210", "AstraZeneca COVID-19", "AstraZeneca", 2, 1},
	{"211", "Novavax COVID-19", "Novavax", 2, 1},
	{"212", "Janssen COVID-19", "Janssen", 1, 1},
	{"213", "COVID-19, unspecified", "", 0, 1},
	{"217", "Pfizer-BioNTech COVID-19 (12+)", "Pfizer-BioNTech", 2, 1},
	{"218", "Pfizer-BioNTech COVID-19 (5-11)", "Pfizer-BioNTech", 2, 1},
	{"219", "Pfizer-BioNTech COVID-19 (6m-4y)", "Pfizer-BioNTech", 3, 1},
	{"221", "Moderna COVID-19 (booster)", "Moderna", 2, 1},
	{"225", "Sanofi COVID-19", "Sanofi Pasteur", 2, 1},
	{"226", "SKYCovione COVID-19", "SK Bioscience", 2, 1},
	{"227", "Moderna COVID-19 (6m-5y)", "Moderna", 2, 1},
	{"228", "Moderna COVID-19 (6-11)", "Moderna", 2, 1},
	{"229", "Moderna COVID-19 bivalent", "Moderna", 1, 1},
	{"230", "Moderna COVID-19 bivalent (6m-5y)", "Moderna", 2, 1},
	{"300", "Pfizer-BioNTech COVID-19 bivalent", "Pfizer-BioNTech", 1, 1},
	{"301", "Pfizer-BioNTech COVID-19 bivalent (5-11)", "Pfizer-BioNTech", 1, 1},
	{"302", "Pfizer-BioNTech COVID-19 bivalent (6m-4y)", "Pfizer-BioNTech", 3, 1},
	{"308", "Pfizer-BioNTech COVID-19 2023-24 (6m-4y)", "Pfizer-BioNTech", 3, 1},
	{"309", "Pfizer-BioNTech COVID-19 2023-24 (12+)", "Pfizer-BioNTech", 1, 1},
	{"310", "Pfizer-BioNTech COVID-19 2023-24 (5-11)", "Pfizer-BioNTech", 1, 1},
	{"311", "Moderna COVID-19 2023-24 (6m-11y)", "Moderna", 2, 1},
	{"312", "Moderna COVID-19 2023-24 (12+)", "Moderna", 1, 1},
	{"313", "Novavax COVID-19 2023-24", "Novavax", 2, 1},
	{"500", "COVID-19 non-US, unspecified", "", 0, 1},
	{"501", "QazCovid-in", "RIBSP", 2, 1},
	{"502", "Covaxin", "Bharat Biotech", 2, 1},
	{"503", "CoviVac", "Chumakov Centre", 2, 1},
	{"504", "Sputnik Light", "Gamaleya", 1, 1},
	{"505", "Sputnik V", "Gamaleya", 2, 1},
	{"506", "Convidecia (CanSino)", "CanSino Biologics", 1, 1},
	{"507", "ZF2001 (Zifivax)", "Anhui Zhifei Longcom", 3, 1},
	{"508", "Jiangsu Province CDC recombinant", "Jiangsu CDC", 3, 1},
	{"509", "EpiVacCorona", "Vector Institute", 2, 1},
	{"510", "Covilo (Sinopharm BIBP)", "Sinopharm", 2, 1},
	{"511", "CoronaVac (Sinovac)", "Sinovac", 2, 1},
	{"512", "Medicago COVID-19", "Medicago", 2, 1},
	{"513", "Anhui Zhifei recombinant (booster)", "Anhui Zhifei Longcom", 1, 1},
	{"514", "Minhai (inactivated)", "Shenzhen Kangtai", 2, 1},
	{"515", "Medigen MVC-COV1901", "Medigen", 2, 1},
	{"516", "Covovax", "Serum Institute of India", 2, 1},
	{"517", "Soberana 02", "Finlay Institute", 2, 1},
	{"518", "Abdala", "CIGB", 3, 1},
	{"519", "Sinopharm WIBP", "Sinopharm", 2, 1},
	{"520", "COVID-19 non-US, unspecified inactivated", "", 0, 1},
	{"521", "Soberana Plus", "Finlay Institute", 1, 1},
};

const dc_cvx_info *dc_cvx_lookup(const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strcmp(table[i].code, code) == 0)
			return &table[i];
	return NULL;
}
