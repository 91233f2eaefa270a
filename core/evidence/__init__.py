"""Live evidence on the viewer's own engine: a container's kernel, what an image's files hold
(`contents`), and an image built FROM scratch."""
