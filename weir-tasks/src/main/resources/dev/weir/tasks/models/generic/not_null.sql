-- not_null: the rows whose {{ column_name }} is null
select {{ column_name }}
from {{ model }}
where {{ column_name }} is null
