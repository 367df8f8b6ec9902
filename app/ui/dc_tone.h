/*
 * dc_tone: an optional short tone per verdict (off by default), generated
 * sine beeps through SDL audio. A second signal besides word, icon and
 * colour for staff who are looking at the queue, not the screen.
 */
#ifndef DC_TONE_H
#define DC_TONE_H

#include "dc_screen.h"

typedef struct dc_tone dc_tone;

dc_tone *dc_tone_new(void);       /* NULL when no audio device opens */
void dc_tone_free(dc_tone *t);    /* NULL is safe */
void dc_tone_play(dc_tone *t, dc_screen_kind k); /* NULL is safe */

#endif
