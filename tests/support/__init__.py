"""Support for testing and measuring fromscratch, shared by `tests/` and `bench/`: a private
Docker daemon (`dockerd`), a fault proxy, a `docker load` forest of tiny images
(`image_forest`), 10,250 synthetic images with known parents (`synthetic`), recorded engine
answers, and the system commands the tests need (`tools`). It lives with the tests, outside
the installed package (the app never imports it: an import-linter contract); importable from
a checkout's root, as `tests.support`."""
