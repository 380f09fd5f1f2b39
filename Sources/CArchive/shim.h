// libarchive, for reading and writing slugs and build caches (tar.gz).
#include <archive.h>
#include <archive_entry.h>
