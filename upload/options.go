package upload

// MultipartOptions are the settings of the drivers that send
// multipart/form-data bodies (MultipartDriver, StreamDriver, and async-task
// by default). Pass them in Config.Options; the zero value is the default.
type MultipartOptions struct {
	// ImageField is the multipart field name of the input images. Empty
	// means "image" for one image and "image[]" for several; "image" sends
	// repeated "image" parts for gateways that want that.
	ImageField string
}
