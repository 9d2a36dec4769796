"""Images the tests make with Pillow, a metadata inspector, and a tiny site with the plugin."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageCms, ImageDraw

from tests.conftest import TinySite

SERIAL = "SN-7788-9900"
GPS_LATITUDE = (21.0, 1.0, 30.0)


def _srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _photo(size: tuple[int, int]) -> Image.Image:
    """A photo-like picture: gradient background, a few shapes, some noise."""
    width, height = size
    img = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(img)
    draw.ellipse((width // 4, height // 4, width * 3 // 4, height * 3 // 4), fill=(30, 120, 200))
    noise = Image.effect_noise(size, 40).convert("RGB")
    return Image.blend(img, noise, 0.15)


class ImageFactory:
    """Writes test images into a folder; every method returns the file's path."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def _path(self, name: str) -> Path:
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def gps_jpeg(self, name: str = "gps.jpg", size: tuple[int, int] = (900, 600)) -> Path:
        """A phone photo: GPS position, camera serial, XMP, a comment and an ICC profile."""
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"
        exif[0x0110] = "Model X"
        exif.get_ifd(0x8769)[0xA431] = SERIAL  # BodySerialNumber
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2], gps[3], gps[4] = "N", GPS_LATITUDE, "E", (105.0, 50.0, 10.0)
        path = self._path(name)
        _photo(size).save(
            path,
            "JPEG",
            quality=90,
            exif=exif,
            xmp=b"<x:xmpmeta><exif:GPSLatitude>21,1.5N</exif:GPSLatitude></x:xmpmeta>",
            comment=b"owner: Nguyen Van A",
            icc_profile=_srgb_icc(),
        )
        return path

    def rotated_jpeg(self, name: str = "rotated.jpg") -> Path:
        """Stored landscape 300×200 with orientation 6: shown portrait 200×300.

        The stored top-left corner is red; once turned it must be the top-right.
        """
        img = Image.new("RGB", (300, 200), (20, 160, 20))
        ImageDraw.Draw(img).rectangle((0, 0, 59, 39), fill=(230, 0, 0))
        exif = Image.Exif()
        exif[0x0112] = 6
        path = self._path(name)
        img.save(path, "JPEG", quality=95, exif=exif)
        return path

    def cmyk_jpeg(self, name: str = "cmyk.jpg") -> Path:
        """A print-shop CMYK JPEG, pure red (no cyan, full magenta and yellow)."""
        path = self._path(name)
        Image.new("CMYK", (400, 300), (0, 255, 255, 0)).save(path, "JPEG", quality=95)
        return path

    def palette_png(self, name: str = "palette.png") -> Path:
        """A palette PNG whose left half is fully transparent."""
        img = Image.new("P", (200, 100), 1)
        img.putpalette([0, 0, 0, 200, 30, 30] + [0, 0, 0] * 254)
        ImageDraw.Draw(img).rectangle((0, 0, 99, 99), fill=0)
        path = self._path(name)
        img.save(path, "PNG", transparency=0)
        return path

    def png16(self, name: str = "deep.png") -> Path:
        """A 16-bit greyscale PNG (mode I;16) with a left-to-right ramp 0…65535."""
        ramp = Image.linear_gradient("L").rotate(90).resize((256, 64))
        deep = ramp.convert("I").point(lambda v: v * 257).convert("I;16")
        path = self._path(name)
        deep.save(path, "PNG")
        return path

    def bomb_png(self, name: str = "bomb.png", side: int = 100_000) -> Path:
        """A tiny PNG whose header claims side×side pixels (a decompression bomb)."""

        def chunk(kind: bytes, data: bytes) -> bytes:
            crc = zlib.crc32(kind + data) & 0xFFFFFFFF
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

        header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
        body = zlib.compress(b"\x00" * 64)
        data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body)
        path = self._path(name)
        path.write_bytes(data + chunk(b"IEND", b""))
        return path

    def corrupt_jpeg(self, name: str = "corrupt.jpg") -> Path:
        """The first third of a real JPEG: the header reads, the pixels do not."""
        buffer = io.BytesIO()
        _photo((400, 300)).save(buffer, "JPEG", quality=90)
        path = self._path(name)
        path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 3])
        return path

    def garbage(self, name: str = "not-an-image.jpg") -> Path:
        path = self._path(name)
        path.write_bytes(b"this is a Word document, renamed" * 20)
        return path

    def plain(self, name: str, size: tuple[int, int] = (640, 480), fmt: str = "JPEG") -> Path:
        path = self._path(name)
        _photo(size).save(path, fmt)
        return path

    def animated_gif(self, name: str = "anim.gif") -> Path:
        colours = [(200, 0, 0), (0, 200, 0), (0, 0, 200)]
        frames = [Image.new("RGB", (60, 40), c) for c in colours]
        path = self._path(name)
        frames[0].save(path, "GIF", save_all=True, append_images=frames[1:], duration=100)
        return path


def metadata_blocks(path: Path) -> list[str]:
    """Names of the metadata blocks in a JPEG, PNG or WebP file (empty: none)."""
    data = path.read_bytes()
    if data[:2] == b"\xff\xd8":
        return _jpeg_blocks(data)
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return _png_blocks(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp_blocks(data)
    raise AssertionError(f"{path}: not a JPEG, PNG or WebP file")


def _jpeg_blocks(data: bytes) -> list[str]:
    found, pos = [], 2
    while pos + 4 <= len(data):
        assert data[pos] == 0xFF, f"bad JPEG marker at {pos}"
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: only pixels follow
            break
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        payload = data[pos + 4 : pos + 2 + length]
        if marker == 0xE0 and payload.startswith(b"JFIF\x00"):
            pass  # version and pixel density only
        elif 0xE0 <= marker <= 0xEF:
            found.append(f"APP{marker - 0xE0}:{payload[:12]!r}")
        elif marker == 0xFE:
            found.append("COM")
        pos += 2 + length
    return found


def _png_blocks(data: bytes) -> list[str]:
    found, pos = [], 8
    allowed = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind not in allowed:
            found.append(kind.decode("latin-1"))
        pos += 12 + length
    return found


def _webp_blocks(data: bytes) -> list[str]:
    found, pos = [], 12
    allowed = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}
    while pos + 8 <= len(data):
        kind, length = struct.unpack("<4sI", data[pos : pos + 8])
        if kind not in allowed:
            found.append(kind.decode("latin-1"))
        pos += 8 + length + (length & 1)
    return found


@pytest.fixture
def make(tmp_path: Path) -> ImageFactory:
    return ImageFactory(tmp_path / "src")


class ImageSite(TinySite):
    """A tiny site with the images plugin on; its cache sits in the tmp folder."""

    def settings(self, extra: str, base: str = "pelicanconf") -> Path:
        return super().settings('PLUGINS = [*PLUGINS, "plugins.images"]\n' + extra, base)

    @property
    def images(self) -> ImageFactory:
        return ImageFactory(self.content / "images")

    @property
    def cache(self) -> Path:
        return self.base / "cache" / "images"

    def published_images(self) -> list[Path]:
        suffixes = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff"}
        return sorted(p for p in self.output.rglob("*") if p.suffix.lower() in suffixes)


@pytest.fixture
def image_site(tmp_path: Path) -> ImageSite:
    return ImageSite(tmp_path)
