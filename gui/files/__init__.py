"""The Files tab: the selected image's files, each with the layer and image that wrote it."""
