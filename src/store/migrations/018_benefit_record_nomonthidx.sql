-- KY-04: benefit_record(service_month, status) is the prefix of benefit_record_month_person
-- (018_benefit_perf), which serves every reader of a month (the 高額 run, the month's summary, the
-- income subjects); keeping both cost a second index entry for each of a month's ~1,000,000
-- records at import (docs/kokuhoren-csv.md "KY-04 import: measured").
DROP INDEX benefit_record_month;
