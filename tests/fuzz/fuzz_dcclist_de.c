/* EU DSC list import, the German DSC list (signature line + {"certificates":[...]}); the harness
 * body is fuzz_dcclist.h. */
#define DCCLIST_FORMAT DC_DCCLIST_DE
#include "fuzz_dcclist.h"
