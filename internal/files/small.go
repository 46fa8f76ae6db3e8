package files

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/jpeg"
	"path"
	"strings"
)

// The small thumbnail (issue 15): 360 px on the long side, for gallery
// tiles of 150–190 CSS px on 2× phones and of up to 370 on 1× laptops,
// where the 480 px thumbnail sends twice the pixels the tile shows. It is
// made from the thumbnail, not the original: that is a 480 px JPEG to
// decode, a few milliseconds, so it can be made on the spot.
//
// It lives beside the thumbnail under the rendering's prefix, under a key
// derived from the thumbnail's (SmallKey), so no row records it: uploads
// make it right after Ingest (MakeSmall), and the image route makes it on
// its first request for renderings stored before it existed
// (EnsureSmall). DeleteRendering removes it with the rest of the prefix,
// and SweepOrphans judges it by its rendering id like the other sizes.
const smallLong = 360

// SmallSize is the size of the small thumbnail of a tw×th thumbnail.
func SmallSize(tw, th int) (int, int) { return fitLong(tw, th, smallLong) }

// SmallKey is the key of the small thumbnail beside thumbKey
// ("renderings/ID/thumb.jpg" -> "renderings/ID/small.jpg").
func SmallKey(thumbKey string) string {
	return strings.TrimSuffix(thumbKey, path.Base(thumbKey)) + "small.jpg"
}

// MakeSmall stores the small thumbnail of the thumbnail at thumbKey under
// SmallKey(thumbKey), and returns its key. Put is atomic, so two requests
// making it at once both leave a whole file.
func MakeSmall(ctx context.Context, st Storage, thumbKey string) (string, error) {
	key := SmallKey(thumbKey)
	if key == thumbKey {
		return "", fmt.Errorf("files: small thumbnail: key %q", thumbKey)
	}
	obj, err := st.Open(ctx, thumbKey)
	if err != nil {
		return "", fmt.Errorf("files: small thumbnail: %w", err)
	}
	img, err := jpeg.Decode(obj)
	obj.Close()
	if err != nil {
		return "", fmt.Errorf("files: small thumbnail: decode %s: %w", thumbKey, err)
	}
	b := img.Bounds()
	w, h := SmallSize(b.Dx(), b.Dy())
	enc, err := encodeJPEG(resize(img, w, h))
	if err != nil {
		return "", err
	}
	if _, err := st.Put(ctx, key, bytes.NewReader(enc.data)); err != nil {
		return "", fmt.Errorf("files: small thumbnail: store %s: %w", key, err)
	}
	return key, nil
}

// OpenSmall opens the small thumbnail beside thumbKey, making it first if
// it is missing.
func OpenSmall(ctx context.Context, st Storage, thumbKey string) (Object, error) {
	obj, err := st.Open(ctx, SmallKey(thumbKey))
	if !errors.Is(err, ErrNotFound) {
		return obj, err
	}
	if _, err := MakeSmall(ctx, st, thumbKey); err != nil {
		return nil, err
	}
	return st.Open(ctx, SmallKey(thumbKey))
}
