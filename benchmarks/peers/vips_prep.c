/*
 * vips_prep: the libvips peer of the imgprep benchmark harness, doing the
 * same job as `imgprep prep` in one process, the way a libvips user would.
 *
 *   vips_prep square SIDE IN OUT.png [COMPRESSION]
 *       autorotate, fit inside SIDE x SIDE, add an opaque alpha band when
 *       the image has none, pad centred to SIDE x SIDE with transparent
 *       black, save as RGBA PNG (the dall-e-2 job).
 *   vips_prep long SIDE IN OUT.{jpg,png,webp} [Q_OR_COMPRESSION|lossless]
 *       autorotate, shrink (never enlarge) so the longer side is at most
 *       SIDE, save as JPEG (Q, default 90), PNG (compression, default 6)
 *       or WebP (Q, default 75, or "lossless"; libvips' other webpsave
 *       defaults, effort 4) (the gpt-image-1, jpeg-q85 and webp jobs).
 *
 * vips_thumbnail does shrink-on-load (libjpeg DCT scaling) and autorotates
 * by default. PNG compression defaults to libvips' own default, 6; the
 * harness also runs compression 1. JPEG chroma is 4:2:0 as imgprep writes
 * it (libvips' default switches to 4:4:4 at Q >= 90, a bigger file and
 * more work). Metadata is stripped, as imgprep does.
 *
 * Build: cc -O2 -o vips_prep vips_prep.c $(pkg-config --cflags --libs vips)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

static int fail(const char *what)
{
	fprintf(stderr, "vips_prep: %s: %s\n", what, vips_error_buffer());
	return 1;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* save writes img as PNG (compression level), WebP (quality, or lossless)
 * or JPEG (quality). */
static int save(VipsImage *img, const char *out, int level, int have_level, int lossless)
{
	if (ends_with(out, ".webp")) {
		if (lossless)
			return vips_webpsave(img, out, "lossless", TRUE, "strip", TRUE, NULL);
		return vips_webpsave(img, out, "Q", have_level ? level : 75, "strip", TRUE, NULL);
	}
	if (ends_with(out, ".png"))
		return vips_pngsave(img, out, "compression", have_level ? level : 6,
				    "strip", TRUE, NULL);
	return vips_jpegsave(img, out, "Q", have_level ? level : 90,
			     "subsample_mode", VIPS_FOREIGN_SUBSAMPLE_ON,
			     "strip", TRUE, NULL);
}

/* square fits t inside side x side and pads it with transparency. */
static int square(VipsImage *t, int side, VipsImage **out)
{
	VipsImage *a = NULL;
	double bg[4] = {0, 0, 0, 0};
	VipsArrayDouble *background = NULL;
	int rc;

	if (vips_image_hasalpha(t)) {
		a = t;
		g_object_ref(a);
	} else if (vips_addalpha(t, &a, NULL))
		return -1;
	background = vips_array_double_new(bg, a->Bands);
	rc = vips_gravity(a, out, VIPS_COMPASS_DIRECTION_CENTRE, side, side,
			  "extend", VIPS_EXTEND_BACKGROUND, "background", background, NULL);
	vips_area_unref(VIPS_AREA(background));
	g_object_unref(a);
	return rc;
}

int main(int argc, char **argv)
{
	VipsImage *t = NULL, *p = NULL;
	int side, level = 0, have_level = argc > 5, lossless = 0;

	if (VIPS_INIT(argv[0]))
		vips_error_exit(NULL);
	if (argc < 5 || (strcmp(argv[1], "square") && strcmp(argv[1], "long"))) {
		fprintf(stderr, "usage: vips_prep square|long SIDE IN OUT [LEVEL]\n");
		return 2;
	}
	side = atoi(argv[2]);
	if (have_level && strcmp(argv[5], "lossless") == 0)
		lossless = 1, have_level = 0;
	else if (have_level)
		level = atoi(argv[5]);
	/* square upsizes small inputs to the canvas, as imgprep and magick do;
	 * long only ever shrinks. */
	if (vips_thumbnail(argv[3], &t, side, "height", side, "size",
			   strcmp(argv[1], "long") ? VIPS_SIZE_BOTH : VIPS_SIZE_DOWN, NULL))
		return fail("thumbnail");
	if (strcmp(argv[1], "square") == 0) {
		if (square(t, side, &p))
			return fail("pad");
		g_object_unref(t);
		t = p;
	}
	if (save(t, argv[4], level, have_level, lossless))
		return fail("save");
	g_object_unref(t);
	vips_shutdown();
	return 0;
}
