/*
 * The simulator's window loop (not the headless path): SDL's offscreen
 * video driver, codes read from a pipe by the text source, the collector
 * and the kiosk; every screen change is printed. Also with the display
 * turned to portrait and the tone on (SDL's dummy audio driver).
 */
#include "dc_test.h"
#include "dc_sim_test.h"

static dc_sim_paths P;

static void run(const char *extra, const char *want)
{
	char cmd[8192], out[4096] = "";
	DC_FMT(cmd, sizeof cmd,
	       "(cat '%s/vaccinated.txt' '%s/multi.txt'; echo https://www.example.org/record; "
	       "cat '%s/tampered.txt') | SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy "
	       /* SDL's offscreen driver loads EGL/Mesa, which keep their
	        * allocations at exit: not ours, so no leak check here (the
	        * headless tests check the rest of the pipeline for leaks). */
	       "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 "
	       "timeout 60 '%s' --camera text --device - --trust '%s' --result-seconds 0.5 %s",
	       P.cards, P.cards, P.cards, P.sim, P.trust, extra);
	FILE *p = popen(cmd, "r");
	CHECK(p != NULL);
	size_t n = p ? fread(out, 1, sizeof out - 1, p) : 0;
	out[n] = 0;
	int rc = p ? pclose(p) : -1;
	CHECK_MSG(WIFEXITED(rc) && WEXITSTATUS(rc) == 0, "%s: exit %d", extra, rc);
	CHECK_MSG(!strcmp(out, want), "%s: got\n%s", extra, out);
}

int main(int argc, char **argv)
{
	dc_sim_paths_get(argc, argv, &P);
	const char *want =
		"screen: pass\n"
		"screen: chunk_progress\n"
		"screen: pass\n"
		"screen: not_verifiable\n"
		"screen: not_valid\n"
		"screen: scanning\n";
	run("", want);
	run("--display-rotation 90 --display 800x480 --tone on", want);
	/* capacity 1: the second valid card is not admitted */
	run("--capacity 1",
	    "screen: pass\n"
	    "screen: chunk_progress\n"
	    "screen: capacity_reached\n"
	    "screen: not_verifiable\n"
	    "screen: not_valid\n"
	    "screen: capacity_reached\n"); /* the idle screen when full */
	return dc_test_done();
}
