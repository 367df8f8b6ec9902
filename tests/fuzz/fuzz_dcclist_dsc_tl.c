/* EU DSC list import, the JWS DSC Trust List; the harness
 * body is fuzz_dcclist.h. */
#define DCCLIST_FORMAT DC_DCCLIST_DSC_TL
#include "fuzz_dcclist.h"
