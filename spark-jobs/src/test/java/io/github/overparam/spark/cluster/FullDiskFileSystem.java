package io.github.overparam.spark.cluster;

import java.io.IOException;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system under the scheme {@code fulldisk:} (same files as {@code file:}), full
 * from a given wave on: creating any file under a {@code wave=N} folder with N >= {@code
 * overparam.test.fullFromWave} fails as a full disk does ("No space left on device"). Set with
 * {@code spark.hadoop.fs.fulldisk.impl} and {@code spark.hadoop.overparam.test.fullFromWave}, and
 * on the classpath of the driver and the executors.
 */
public class FullDiskFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "fulldisk";
  public static final String FULL_FROM_WAVE = "overparam.test.fullFromWave";
  private static final Pattern WAVE = Pattern.compile("/wave=(\\d+)(/|$)");

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  private void refuseWhenFull(Path f) throws IOException {
    Matcher m = WAVE.matcher(f.toUri().getPath());
    int from = getConf().getInt(FULL_FROM_WAVE, Integer.MAX_VALUE);
    if (m.find() && Integer.parseInt(m.group(1)) >= from) {
      throw new IOException("No space left on device (" + SCHEME + ": full from wave " + from + "): " + f);
    }
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    refuseWhenFull(f);
    return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
  }

  @Override
  public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
      Progressable progress) throws IOException {
    refuseWhenFull(f);
    return super.create(f, overwrite, bufferSize, replication, blockSize, progress);
  }

  @Override
  public FSDataOutputStream createNonRecursive(Path f, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    refuseWhenFull(f);
    return super.createNonRecursive(f, permission, overwrite, bufferSize, replication, blockSize, progress);
  }
}
