-- accepted_values: the values of {{ column_name }} outside the list
select {{ column_name }} as value_field, count(*) as n_records
from {{ model }}
where {{ column_name }} not in (
    {%- for value in values %}
    {% if quote %}'{{ value | replace("'", "''") }}'{% else %}{{ value }}{% endif %}{{ "," if not loop.last }}
    {%- endfor %}
)
group by {{ column_name }}
