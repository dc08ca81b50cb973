"""Load a .torrent with libtorrent and print what libtorrent understood, as one JSON object.

Usage: torrent_info.py '<json>' with key path. Prints infoHashV1/infoHashV2 (hex or null), name,
pieceLength, numPieces, totalSize (pad files included, as libtorrent counts) and files
[{path, size, pad, executable, hidden}] in libtorrent's file order. Exits non-zero when libtorrent
refuses the file.
"""
import json
import sys

import libtorrent as lt


def main():
    args = json.loads(sys.argv[1])
    info = lt.torrent_info(args["path"])
    hashes = info.info_hashes()
    storage = info.files()
    files = []
    for index in range(storage.num_files()):
        flags = storage.file_flags(index)
        files.append({
            "path": storage.file_path(index),
            "size": storage.file_size(index),
            "pad": bool(flags & lt.file_storage.flag_pad_file),
            "executable": bool(flags & lt.file_storage.flag_executable),
            "hidden": bool(flags & lt.file_storage.flag_hidden),
        })
    print(json.dumps({
        "infoHashV1": str(hashes.v1) if hashes.has_v1() else None,
        "infoHashV2": str(hashes.v2) if hashes.has_v2() else None,
        "name": info.name(),
        "pieceLength": info.piece_length(),
        "numPieces": info.num_pieces(),
        "totalSize": info.total_size(),
        "files": files,
        "trackers": [{"url": tracker.url, "tier": tracker.tier} for tracker in info.trackers()],
        "webSeeds": [seed["url"] for seed in info.web_seeds()],
        "private": info.priv(),
    }))


main()
