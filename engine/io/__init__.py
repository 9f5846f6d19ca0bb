"""Reading and writing files: pictures (``imageio``, with Impasto's own PNG and 16-bit TIFF
encoders), layered OpenRaster files and atomic saves. Nothing here renders."""
