package io.github.overparam.spark.table;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Parquet file of rows of a table's Spark schema, written straight from a task (no DataFrame, no
 * Spark job): the same physical layout as Spark's own writer (its standard, non-legacy format:
 * strings as UTF-8 binary, lists as three-level LIST groups, required columns where the schema
 * says so, snappy), and the same footer keys, so Spark reads the schema back with its column
 * comments and nullability, and any Parquet reader reads the values.
 */
public final class ParquetRows {
  /** Spark's footer key for the Spark schema (ParquetReadSupport.SPARK_METADATA_KEY). */
  static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";
  /** Spark's footer key for the version that wrote the file. */
  static final String SPARK_VERSION_KEY = "org.apache.spark.version";

  private ParquetRows() {}

  /**
   * A writer of {@code schema}'s rows to the new file {@code path} (an error if it exists).
   * Dictionary encoding (which Spark's writer tries on every column) is left out for the double
   * columns and {@code plain} ones (ids): their values rarely repeat, so the dictionary costs time
   * per value and is dropped by the page anyway.
   *
   * @param sparkVersion recorded in the footer as Spark's writer records it
   */
  public static ParquetWriter<Row> writer(Path path, Configuration conf, StructType schema, String sparkVersion,
      Collection<String> plain) throws IOException {
    Builder b = new Builder(HadoopOutputFile.fromPath(path, conf), schema, sparkVersion).withConf(conf).withWriteMode(
        ParquetFileWriter.Mode.CREATE).withCompressionCodec(CompressionCodecName.SNAPPY);
    for (StructField f : schema.fields()) {
      DataType t = f.dataType();
      if (t.equals(DataTypes.DoubleType) || plain.contains(f.name())) {
        b = b.withDictionaryEncoding(f.name(), false);
      } else if (t instanceof ArrayType a && a.elementType().equals(DataTypes.DoubleType)) {
        b = b.withDictionaryEncoding(f.name() + ".list.element", false);
      }
    }
    return b.build();
  }

  /** {@link #writer(Path, Configuration, StructType, String, Collection)} of {@code table}'s rows, its keys plain. */
  public static ParquetWriter<Row> writer(Path path, Configuration conf, Table table, String sparkVersion)
      throws IOException {
    return writer(path, conf, table.schema(), sparkVersion, table.keys());
  }

  /** The Parquet schema Spark writes for {@code schema}. */
  public static MessageType messageType(StructType schema) {
    Types.MessageTypeBuilder message = Types.buildMessage();
    for (StructField f : schema.fields()) {
      message.addField(type(f.name(), f.dataType(), f.nullable()));
    }
    return message.named("spark_schema");
  }

  private static Type type(String name, DataType type, boolean nullable) {
    Repetition repetition = nullable ? Repetition.OPTIONAL : Repetition.REQUIRED;
    if (type.equals(DataTypes.StringType)) {
      return Types.primitive(PrimitiveTypeName.BINARY, repetition).as(LogicalTypeAnnotation.stringType()).named(name);
    }
    if (type.equals(DataTypes.IntegerType)) {
      return Types.primitive(PrimitiveTypeName.INT32, repetition).named(name);
    }
    if (type.equals(DataTypes.LongType)) {
      return Types.primitive(PrimitiveTypeName.INT64, repetition).named(name);
    }
    if (type.equals(DataTypes.DoubleType)) {
      return Types.primitive(PrimitiveTypeName.DOUBLE, repetition).named(name);
    }
    if (type.equals(DataTypes.BooleanType)) {
      return Types.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(name);
    }
    if (type instanceof ArrayType a) {
      return Types.buildGroup(repetition).as(LogicalTypeAnnotation.listType()).addField(Types.repeatedGroup().addField(
          type("element", a.elementType(), a.containsNull())).named("list")).named(name);
    }
    throw new IllegalArgumentException("column " + name + ": type " + type.simpleString() + " cannot be written"
        + " straight to Parquet; allowed: string, int, bigint, double, boolean and arrays of them");
  }

  private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
    private final StructType schema;
    private final String sparkVersion;

    Builder(HadoopOutputFile file, StructType schema, String sparkVersion) {
      super(file);
      this.schema = schema;
      this.sparkVersion = sparkVersion;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Row> getWriteSupport(Configuration conf) {
      return new RowWriteSupport(schema, sparkVersion);
    }
  }

  /** Writes a row's fields in schema order; a null value is a missing optional field. */
  private static final class RowWriteSupport extends WriteSupport<Row> {
    private final StructType schema;
    private final StructField[] fields;
    private final String sparkVersion;
    private RecordConsumer consumer;

    RowWriteSupport(StructType schema, String sparkVersion) {
      this.schema = schema;
      this.fields = schema.fields();
      this.sparkVersion = sparkVersion;
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(messageType(schema), Map.of(SPARK_VERSION_KEY, sparkVersion, SPARK_SCHEMA_KEY,
          schema.json()));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.consumer = recordConsumer;
    }

    @Override
    public void write(Row row) {
      consumer.startMessage();
      for (int i = 0; i < fields.length; i++) {
        Object value = row.get(i);
        if (value == null) {
          if (!fields[i].nullable()) {
            throw new IllegalArgumentException("column " + fields[i].name() + " is required but the row has null");
          }
          continue;
        }
        consumer.startField(fields[i].name(), i);
        value(fields[i].dataType(), value);
        consumer.endField(fields[i].name(), i);
      }
      consumer.endMessage();
    }

    private void value(DataType type, Object value) {
      // By the declared type, so that a value of another type fails here instead of writing a wrong file.
      if (type instanceof ArrayType a) {
        list(a.elementType(), value instanceof List<?> l ? l.toArray() : (Object[]) value);
      } else if (type.equals(DataTypes.StringType)) {
        consumer.addBinary(Binary.fromString((String) value));
      } else if (type.equals(DataTypes.IntegerType)) {
        consumer.addInteger((Integer) value);
      } else if (type.equals(DataTypes.LongType)) {
        consumer.addLong((Long) value);
      } else if (type.equals(DataTypes.DoubleType)) {
        consumer.addDouble((Double) value);
      } else {
        consumer.addBoolean((Boolean) value);
      }
    }

    private void list(DataType element, Object[] values) {
      consumer.startGroup();
      if (values.length > 0) {
        consumer.startField("list", 0);
        for (Object v : values) {
          consumer.startGroup();
          if (v != null) {
            consumer.startField("element", 0);
            value(element, v);
            consumer.endField("element", 0);
          }
          consumer.endGroup();
        }
        consumer.endField("list", 0);
      }
      consumer.endGroup();
    }
  }
}
