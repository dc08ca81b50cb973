# Regenerates the reference .torrent files and expected.json with real clients:
#   /usr/bin/python3 make.py   (needs python3-libtorrent 2.0, mktorrent and transmission-create)
# The content is deterministic, so the files only change when a client's output does.
import json, os, shutil, subprocess, tempfile
import libtorrent as lt

def content(root):
    os.makedirs(f'{root}/content/dir')
    for path, size, seed in [('a.bin', 100000, 1), ('dir/b.bin', 1000, 2), ('z.bin', 40000, 3)]:
        with open(f'{root}/content/{path}', 'wb') as f:
            f.write(bytes((i * 31 + seed * 7 + (i >> 8)) & 0xff for i in range(size)))
    open(f'{root}/content/dir/empty', 'wb').close()

work = tempfile.mkdtemp()
content(work)
here = os.path.dirname(os.path.abspath(__file__))
for old in os.listdir(here):
    if old.endswith('.torrent'):
        os.remove(f'{here}/{old}')
for name, flags in [('libtorrent-v1', lt.create_torrent.v1_only), ('libtorrent-v2', lt.create_torrent.v2_only), ('libtorrent-hybrid', 0)]:
    fs = lt.file_storage()
    lt.add_files(fs, f'{work}/content')
    torrent = lt.create_torrent(fs, 16384, flags=flags)
    torrent.add_tracker('http://tracker.test/announce')
    lt.set_piece_hashes(torrent, work)
    with open(f'{here}/{name}.torrent', 'wb') as f:
        f.write(lt.bencode(torrent.generate()))
subprocess.run(['mktorrent', '-d', '-l', '15', '-a', 'http://tracker.test/announce', '-o', f'{here}/mktorrent.torrent', f'{work}/content'], check=True, capture_output=True)
subprocess.run(['transmission-create', '-s', '32', '-o', f'{here}/transmission.torrent', f'{work}/content'], check=True, capture_output=True)

expected = {}
for file in sorted(os.listdir(here)):
    if not file.endswith('.torrent'):
        continue
    info = lt.torrent_info(f'{here}/{file}')
    hashes = info.info_hashes()
    expected[file] = {
        'infoHashV1': str(hashes.v1) if hashes.has_v1() else None,
        'infoHashV2': str(hashes.v2) if hashes.has_v2() else None,
        'pieceCount': info.num_pieces(),
        'pieceLength': info.piece_length(),
        'files': [[info.files().file_path(i), info.files().file_offset(i), info.files().file_size(i)]
                  for i in range(info.num_files()) if not info.files().file_flags(i) & lt.file_storage.flag_pad_file],
    }
with open(f'{here}/expected.json', 'w') as f:
    json.dump(expected, f, indent=1)
shutil.rmtree(work)
