/*
 * image and folder: still pictures as frames, for the simulator, the CLI
 * and tests. image hands out its one picture once, then DC_SRC_END; folder
 * hands out every PNG/JPEG in it in byte-sorted name order, one per call.
 * A folder file that does not decode gives DC_SRC_IO (reason in the error)
 * and the next call moves on to the next file.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "dc_image.h"
#include "dc_source_priv.h"

/* A folder of test pictures, not an archive: more is a mistake. */
#define DC_SRC_MAX_FOLDER_FILES 10000

typedef struct {
	dc_source base;
	int folder;
	int done;          /* image: handed out */
	char *dir;
	char **names;
	size_t n, pos;
	dc_grey cur;
} file_source;

static dc_src_status file_next(dc_source *s, dc_frame *f, int timeout_ms)
{
	file_source *fs = (file_source *)s;
	char err[200];
	(void)timeout_ms;

	dc_grey_free(&fs->cur);
	if (!fs->folder) {
		if (fs->done)
			return DC_SRC_END;
		fs->done = 1;
		if (dc_image_load(fs->dir, &fs->cur, err, sizeof err) != 0) {
			dc_src_seterr(s->err, sizeof s->err, "%s", err);
			return DC_SRC_IO;
		}
	} else {
		if (fs->pos >= fs->n)
			return DC_SRC_END;
		const char *name = fs->names[fs->pos++];
		size_t plen = strlen(fs->dir) + strlen(name) + 2;
		char *path = malloc(plen);
		if (!path)
			return DC_SRC_NOMEM;
		snprintf(path, plen, "%s/%s", fs->dir, name);
		int rc = dc_image_load(path, &fs->cur, err, sizeof err);
		free(path);
		if (rc != 0) {
			/* err names the path when the file could not be read;
			 * for decode errors add the name. */
			if (strstr(err, name))
				dc_src_seterr(s->err, sizeof s->err, "%s", err);
			else
				dc_src_seterr(s->err, sizeof s->err, "%.100s: %s",
					 name, err);
			return DC_SRC_IO;
		}
	}
	f->kind = DC_FRAME_GREY;
	f->y = fs->cur.y;
	f->width = fs->cur.width;
	f->height = fs->cur.height;
	f->stride = fs->cur.stride;
	return DC_SRC_OK;
}

static void file_wipe(dc_source *s)
{
	dc_grey_free(&((file_source *)s)->cur);
}

static void file_destroy(dc_source *s)
{
	file_source *fs = (file_source *)s;
	dc_grey_free(&fs->cur);
	for (size_t i = 0; i < fs->n; i++)
		free(fs->names[i]);
	free(fs->names);
	free(fs->dir);
	free(fs);
}

static const dc_source_ops file_ops = { file_next, file_wipe, file_destroy };

static int is_picture(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && name[0] != '.' &&
	       (strcasecmp(dot, ".png") == 0 || strcasecmp(dot, ".jpg") == 0 ||
		strcasecmp(dot, ".jpeg") == 0);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static file_source *new_file_source(const char *path, int folder)
{
	file_source *fs = calloc(1, sizeof *fs);
	if (!fs)
		return NULL;
	fs->base.ops = &file_ops;
	fs->folder = folder;
	fs->dir = strdup(path);
	if (!fs->dir) {
		free(fs);
		return NULL;
	}
	return fs;
}

dc_src_status dc_src_image_open(const dc_source_config *cfg, dc_source **out,
				char *err, size_t errlen)
{
	struct stat st;

	if (!cfg->device) {
		dc_src_seterr(err, errlen, "no image file given");
		return DC_SRC_NO_DEVICE;
	}
	if (stat(cfg->device, &st) != 0) {
		dc_src_seterr(err, errlen, "no image at %s: %s", cfg->device,
			      strerror(errno));
		return DC_SRC_NO_DEVICE;
	}
	if (!S_ISREG(st.st_mode)) {
		dc_src_seterr(err, errlen, "%s is not a file", cfg->device);
		return DC_SRC_NO_DEVICE;
	}
	file_source *fs = new_file_source(cfg->device, 0);
	if (!fs)
		return DC_SRC_NOMEM;
	*out = &fs->base;
	return DC_SRC_OK;
}

dc_src_status dc_src_folder_open(const dc_source_config *cfg, dc_source **out,
				 char *err, size_t errlen)
{
	dc_src_status st = DC_SRC_NOMEM;
	file_source *fs = NULL;
	DIR *d = NULL;
	size_t cap = 0;

	if (!cfg->device) {
		dc_src_seterr(err, errlen, "no folder given");
		return DC_SRC_NO_DEVICE;
	}
	d = opendir(cfg->device);
	if (!d) {
		dc_src_seterr(err, errlen, "cannot open folder %s: %s",
			      cfg->device, strerror(errno));
		return DC_SRC_NO_DEVICE;
	}
	fs = new_file_source(cfg->device, 1);
	if (!fs)
		goto out;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!is_picture(de->d_name))
			continue;
		if (fs->n == DC_SRC_MAX_FOLDER_FILES) {
			dc_src_seterr(err, errlen,
				      "more than %d pictures in %s",
				      DC_SRC_MAX_FOLDER_FILES, cfg->device);
			st = DC_SRC_IO;
			goto out;
		}
		if (fs->n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			char **nn = realloc(fs->names, ncap * sizeof *nn);
			if (!nn)
				goto out;
			fs->names = nn;
			cap = ncap;
		}
		fs->names[fs->n] = strdup(de->d_name);
		if (!fs->names[fs->n])
			goto out;
		fs->n++;
	}
	if (fs->n)
		qsort(fs->names, fs->n, sizeof *fs->names, cmp_names);
	*out = &fs->base;
	fs = NULL;
	st = DC_SRC_OK;
out:
	if (fs)
		file_destroy(&fs->base);
	closedir(d);
	return st;
}
