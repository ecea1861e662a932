package io.github.overparam.spark.analysis;

import io.github.overparam.spark.table.Table;
import io.github.overparam.spark.table.Tables;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The derived tables of a sweep (docs/design.md section 4): {@code critical/}, {@code fits/} and
 * {@code verdicts/}, as declared in {@link Table}.
 */
public final class AnalysisTables {
  private AnalysisTables() {}

  public static final String CRITICAL = Table.CRITICAL.dir();
  public static final String FITS = Table.FITS.dir();
  public static final String VERDICTS = Table.VERDICTS.dir();

  /**
   * The columns that define a group ({@link Tables#groupColumnNames()}): runs that agree on all of
   * these differ only in width and seed.
   */
  public static final List<String> GROUP_COLUMNS = Tables.groupColumnNames();

  public static final StructType CRITICAL_SCHEMA = Table.CRITICAL.schema();
  public static final StructType FITS_SCHEMA = Table.FITS.schema();
  public static final StructType VERDICTS_SCHEMA = Table.VERDICTS.schema();
}
