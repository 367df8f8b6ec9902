/* EU DSC list import, the DCC Gateway trust list (a JSON array); the harness
 * body is fuzz_dcclist.h. */
#define DCCLIST_FORMAT DC_DCCLIST_DCCG
#include "fuzz_dcclist.h"
