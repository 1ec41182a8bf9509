"""Photo checks: a profile photo reused across accounts or listed personas, and faces at the fixed eye positions of
GAN-generated portraits (indicator P3). See docs/photos.md.

The modules import Pillow, imagehash and OpenCV only when a photo is actually read, so `falsefriends check`
without a photo starts as fast as before.

- `decode`: bounded, validated decoding of untrusted image bytes (`PhotoError` in plain words).
- `hashes`: perceptual fingerprints (pHash + dHash of the photo, its mirror and two centre crops) and their
  comparison.
- `index`: a multi-index hashing index over 64-bit pHashes, exact within its radius.
- `alignment`: where the eyes sit, compared with the canonical positions of FFHQ/StyleGAN-aligned portraits.
- `evidence`: the P3 evidence and the `PhotoProvider` the check uses; `photo_evidence` for scans and audits.
"""
