/*
 * doorcheck-mint: a developer tool that mints demo credentials signed by the
 * project's DEMO issuer keys (keys/demo/), so the README and the tests need
 * nothing from outside. Not installed and never shipped on the kiosk.
 */
#include "mint.h"

#include <stdio.h>
#include <string.h>

static void usage(void)
{
	fprintf(stderr,
		"usage: doorcheck-mint COMMAND [options]\n"
		"  shc          write the demo SMART Health Cards (shc:/ texts and QR PNGs)\n"
		"  issuer-file  write the project issuer file for a demo key\n"
		"  dcc          write demo EU DCC (HC1:) certificates\n"
		"Run 'doorcheck-mint COMMAND --help' for the options of one command.\n"
		"DEMO keys only: never trust them on a production device.\n");
}

#ifndef DC_MINT_HAVE_DCC
int dc_mint_dcc_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "doorcheck-mint: built without DCC minting\n");
	return 1;
}
#endif

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage();
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "shc"))
		return dc_mint_shc_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "issuer-file"))
		return dc_mint_issuer_file_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "dcc"))
		return dc_mint_dcc_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		usage();
		return 0;
	}
	usage();
	return 2;
}
