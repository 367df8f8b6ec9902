#include "dc_tone.h"

#include <math.h>
#include <stdlib.h>

#include <SDL.h>

#define RATE 22050
#define MAX_SAMPLES (RATE * 2)

struct dc_tone {
	SDL_AudioDeviceID dev;
	int16_t buf[MAX_SAMPLES];
};

dc_tone *dc_tone_new(void)
{
	if (!SDL_WasInit(SDL_INIT_AUDIO) && SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
		return NULL;
	dc_tone *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	SDL_AudioSpec want = { 0 }, have;
	want.freq = RATE;
	want.format = AUDIO_S16SYS;
	want.channels = 1;
	want.samples = 1024;
	t->dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
	if (!t->dev) {
		free(t);
		return NULL;
	}
	SDL_PauseAudioDevice(t->dev, 0);
	return t;
}

void dc_tone_free(dc_tone *t)
{
	if (!t)
		return;
	SDL_CloseAudioDevice(t->dev);
	free(t);
}

/* Appends a beep with 5 ms fades (no clicks) and a gap after it. */
static int beep(int16_t *buf, int pos, double hz, int ms, int gap_ms)
{
	int n = RATE * ms / 1000, fade = RATE / 200;
	for (int i = 0; i < n && pos < MAX_SAMPLES; i++, pos++) {
		double env = 1.0;
		if (i < fade)
			env = (double)i / fade;
		else if (i > n - fade)
			env = (double)(n - i) / fade;
		buf[pos] = (int16_t)(9000.0 * env * sin(2.0 * M_PI * hz * i / RATE));
	}
	for (int i = 0; i < RATE * gap_ms / 1000 && pos < MAX_SAMPLES; i++)
		buf[pos++] = 0;
	return pos;
}

void dc_tone_play(dc_tone *t, dc_screen_kind k)
{
	if (!t)
		return;
	int n = 0;
	switch (k) {
	case DC_SCREEN_PASS:
		n = beep(t->buf, n, 1320, 120, 0); /* one short high beep */
		break;
	case DC_SCREEN_FAIL:
	case DC_SCREEN_NOT_VALID:
	case DC_SCREEN_CAPACITY:
	case DC_SCREEN_CLOCK_NOT_SET:
	case DC_SCREEN_OUT_OF_SERVICE:
		n = beep(t->buf, n, 330, 180, 80); /* two low beeps */
		n = beep(t->buf, n, 330, 180, 0);
		break;
	case DC_SCREEN_NOT_VERIFIABLE:
		n = beep(t->buf, n, 660, 120, 60); /* rising pair: look at me */
		n = beep(t->buf, n, 880, 120, 0);
		break;
	default:
		return;
	}
	SDL_ClearQueuedAudio(t->dev);
	SDL_QueueAudio(t->dev, t->buf, (Uint32)(n * (int)sizeof t->buf[0]));
}
