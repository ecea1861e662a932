package io.github.overparam.spark.sweep;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration (with the {@code spark.hadoop.*} settings: file systems,
 * credentials providers) for the tasks that write files themselves, shipped once per sweep as a
 * broadcast. Held as bytes, so that any Spark serializer (Java or Kryo) ships it whole.
 */
final class HadoopConf implements Serializable {
  @Serial
  private static final long serialVersionUID = 1L;

  private final byte[] bytes;
  private transient Configuration conf;

  HadoopConf(Configuration conf) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DataOutputStream data = new DataOutputStream(out)) {
      conf.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.bytes = out.toByteArray();
  }

  /** The configuration (read once per JVM that uses it). */
  synchronized Configuration get() {
    if (conf == null) {
      Configuration c = new Configuration(false);
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
        c.readFields(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      conf = c;
    }
    return conf;
  }
}
