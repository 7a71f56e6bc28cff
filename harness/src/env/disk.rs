//! `DiskTmpfs`: the small tmpfs a database's data directory moves onto when a drill's faults
//! fill its disk, so filling it is quick and bounded (the `disk-full` fault acts on it).

/// Where the tmpfs is mounted in the database container.
pub const TMPFS_MOUNT: &str = "/var/lib/rollcage/tmpfs";
/// Room for the initialised cluster (about 40 MB) and a drill's writes and WAL.
const SIZE: &str = "256m";
/// The postgres user and group of the rollcage/postgres images (Debian's package creates them
/// as the first system user in a minimal root). The entrypoint says so if an image differs.
const OWNER: (u32, u32) = (100, 102);

/// The mount and the env that tell the image's entrypoint to run the cluster from it.
pub struct DiskTmpfs;

impl DiskTmpfs {
    /// The tmpfs mount (path, options), owned by the postgres user (not world-writable:
    /// Docker 20.10 drops `mode` when a container is started again).
    pub fn mount() -> (String, String) {
        let (uid, gid) = OWNER;
        (
            TMPFS_MOUNT.to_string(),
            format!("size={SIZE},uid={uid},gid={gid},mode=0700"),
        )
    }

    /// Tells the image's entrypoint to run the cluster from the tmpfs.
    pub fn env() -> (String, String) {
        ("ROLLCAGE_PGDATA_TMPFS".to_string(), TMPFS_MOUNT.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mount_and_the_env_name_the_same_place() {
        assert_eq!(DiskTmpfs::mount().0, DiskTmpfs::env().1);
        assert!(DiskTmpfs::mount().1.contains("size=256m"));
    }
}
