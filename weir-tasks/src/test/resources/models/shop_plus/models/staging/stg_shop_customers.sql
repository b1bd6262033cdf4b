{% set columns = {'id': 'customer_id', 'name': 'customer_name', 'country': 'country_code'} %}
select
{%- for source_column, column in columns.items() %}
    {{ source_column }} as {{ column }}{{ "," if not loop.last }}
{%- endfor %}
from {{ source('shop', 'customers') }}
