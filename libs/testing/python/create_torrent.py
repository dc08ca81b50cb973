"""Create a .torrent with libtorrent (the reference implementation) and report its info hashes.

Usage: create_torrent.py '<json>' with keys path, output, version ('v1' | 'v2' | 'hybrid'),
pieceLength (0 = libtorrent's choice), optional trackers (list of tiers), webSeeds, private, comment.
Prints one JSON object: {"infoHashV1": hex|null, "infoHashV2": hex|null, "pieceLength": n, "numPieces": n}.
"""
import json
import os
import sys

import libtorrent as lt


def main():
    args = json.loads(sys.argv[1])
    path = os.path.abspath(args["path"])
    flags = {"v1": lt.create_torrent.v1_only, "v2": lt.create_torrent.v2_only, "hybrid": 0}[args["version"]]
    storage = lt.file_storage()
    lt.add_files(storage, path)
    if storage.num_files() == 0:
        raise SystemExit(f"no files under {path}")
    torrent = lt.create_torrent(storage, args.get("pieceLength", 0), flags)
    for tier, urls in enumerate(args.get("trackers", [])):
        for url in urls:
            torrent.add_tracker(url, tier)
    for url in args.get("webSeeds", []):
        torrent.add_url_seed(url)
    if args.get("private"):
        torrent.set_priv(True)
    if "comment" in args:
        torrent.set_comment(args["comment"])
    lt.set_piece_hashes(torrent, os.path.dirname(path))
    data = lt.bencode(torrent.generate())
    with open(args["output"], "wb") as out:
        out.write(data)
    info = lt.torrent_info(data)
    hashes = info.info_hashes()
    print(json.dumps({
        "infoHashV1": str(hashes.v1) if hashes.has_v1() else None,
        "infoHashV2": str(hashes.v2) if hashes.has_v2() else None,
        "pieceLength": info.piece_length(),
        "numPieces": info.num_pieces(),
    }))


main()
